import { DeliverPolicy } from '@nats-io/jetstream';
import { HEADER, STREAM_CONTEXTS, Topology } from '@olist/messaging';
import { topologyFromEnv, withNats } from '../platform-clients';

export interface TapOptions {
  readonly fromStart?: boolean;
  readonly json?: boolean;
  /** Stop after this many messages (default: run until interrupted). */
  readonly limit?: number;
  /** Stop when nothing arrives for this long (default: never). */
  readonly idleMs?: number;
}

const decoder = new TextDecoder();

/** Whether a NATS subject pattern can match anything under `olist.<context>.>`. */
export function patternReaches(pattern: string, context: string): boolean {
  const tokens = pattern.split('.');
  const target = ['olist', context];
  for (let i = 0; i < target.length; i++) {
    const t = tokens[i];
    if (t === undefined) return false;
    if (t === '>') return true;
    if (t !== '*' && t !== target[i]) return false;
  }
  return tokens.length > target.length;
}

/**
 * `olist tap PATTERN`: prints the messages of every stream the pattern reaches as JSON lines,
 * through ordered (ephemeral, unacknowledged) consumers that leave the durable consumers alone.
 */
export async function tapCommand(pattern: string, options: TapOptions, out: (line: string) => void = console.log): Promise<number> {
  if (!/^[^\s]+$/.test(pattern) || pattern.split('.').some((t, i, all) => t === '' || (t === '>' && i !== all.length - 1))) {
    throw new Error(`"${pattern}" is not a NATS subject pattern (e.g. 'olist.sales.>' or 'olist.*.order-placed.v1')`);
  }
  const topology: Topology = topologyFromEnv();
  const contexts = STREAM_CONTEXTS.filter((c) => patternReaches(pattern, c));
  if (contexts.length === 0) throw new Error(`"${pattern}" matches no platform stream (subjects start with olist.<context>.)`);
  return withNats(async (nc, jsm) => {
    const js = jsm.jetstream();
    let seen = 0;
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    let idleTimer: NodeJS.Timeout | undefined;
    const touch = () => {
      if (!options.idleMs) return;
      clearTimeout(idleTimer);
      idleTimer = setTimeout(stop, options.idleMs);
    };
    touch();
    const readers = [];
    for (const context of contexts) {
      const stream = topology.stream(context);
      if (!(await jsm.streams.info(stream).catch(() => undefined))) continue;
      const consumer = await js.consumers.get(stream, {
        filter_subjects: topology.subject(pattern),
        deliver_policy: options.fromStart ? DeliverPolicy.All : DeliverPolicy.New,
      });
      const messages = await consumer.consume();
      readers.push(messages);
      void (async () => {
        for await (const m of messages) {
          const body = decoder.decode(m.data);
          const subject = topology.unprefix(m.subject);
          // A batch message (Olist-Events) holds a JSON array of envelopes: one line each.
          const parsed = parse(body);
          const events = m.headers?.get(HEADER.events) && Array.isArray(parsed) ? (parsed as unknown[]) : [parsed];
          for (const event of events) {
            if (options.json) out(JSON.stringify({ subject, stream, seq: m.seq, message: event }));
            else out(summarise(subject, m.seq, typeof event === 'string' ? event : JSON.stringify(event)));
            touch();
            if (options.limit && ++seen >= options.limit) {
              stop();
              break;
            }
          }
        }
      })();
    }
    if (readers.length === 0) throw new Error(`no stream exists yet for "${pattern}" (start the platform first)`);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await stopped;
    clearTimeout(idleTimer);
    await Promise.all(readers.map((r) => r.close().catch(() => undefined)));
    void nc;
    return 0;
  });
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

function summarise(subject: string, seq: number, body: string): string {
  const message = parse(body) as { type?: string; aggregateId?: string; occurredAt?: string; id?: string; rows?: unknown[] };
  if (message && typeof message === 'object' && message.type) {
    return `${subject} #${seq} ${message.type} ${message.aggregateId} ${message.occurredAt} ${message.id}`;
  }
  if (message && typeof message === 'object' && Array.isArray(message.rows)) return `${subject} #${seq} ${message.rows.length} rows`;
  return `${subject} #${seq} ${body.slice(0, 120)}`;
}
