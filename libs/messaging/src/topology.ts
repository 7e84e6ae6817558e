/** The contexts that own a JetStream stream; `import` carries the raw feed. */
export type StreamContext = 'sales' | 'fulfillment' | 'marketplace' | 'customer' | 'quality' | 'import';
export const STREAM_CONTEXTS: readonly StreamContext[] = ['sales', 'fulfillment', 'marketplace', 'customer', 'quality', 'import'];

const PREFIX = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/**
 * Names of streams and subjects, with the optional environment prefix that lets two environments
 * share one NATS (`dev` → subjects `dev.olist.sales.…`, stream `DEV_OLIST_SALES`). Contracts and
 * the outbox hold unprefixed subjects; the prefix is applied on the wire only.
 */
export class Topology {
  readonly prefix: string;

  constructor(prefix = '') {
    if (prefix && !PREFIX.test(prefix)) {
      throw new Error(`OLIST_NATS_PREFIX must match ${PREFIX} (got "${prefix}")`);
    }
    this.prefix = prefix;
  }

  subject(subject: string): string {
    return this.prefix ? `${this.prefix}.${subject}` : subject;
  }

  unprefix(subject: string): string {
    return this.prefix && subject.startsWith(`${this.prefix}.`) ? subject.slice(this.prefix.length + 1) : subject;
  }

  stream(context: StreamContext): string {
    const base = `OLIST_${context.toUpperCase()}`;
    return this.prefix ? `${this.prefix.toUpperCase().replace(/-/g, '_')}_${base}` : base;
  }

  streamSubjects(context: StreamContext): string[] {
    return [this.subject(`olist.${context}.>`)];
  }

  /** The stream context of an unprefixed subject such as `olist.sales.order-placed.v1`. */
  contextOf(subject: string): StreamContext | undefined {
    const token = subject.split('.')[1];
    return STREAM_CONTEXTS.find((c) => c === token);
  }
}
