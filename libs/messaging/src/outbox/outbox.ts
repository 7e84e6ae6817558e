import { randomUUID } from 'node:crypto';
import { CorrelationContext } from '@olist/service-kit';
import type { EventEnvelope } from '../envelope';
import { quoteIdent, SqlTx } from '../sql';

/** An event to publish, as an aggregate raises it. */
export interface NewEvent<TPayload = unknown> {
  /** Wire name, e.g. `sales.order-placed`. */
  readonly type: string;
  readonly version: number;
  /** Unprefixed subject from the contract, e.g. `olist.sales.order-placed.v1`. */
  readonly subject: string;
  readonly aggregateId: string;
  /** Business time from the data. */
  readonly occurredAt: Date | string;
  readonly payload: TPayload;
  /** Fixed id for events derived deterministically from their source; a UUID otherwise. */
  readonly id?: string;
  readonly correlationId?: string;
  readonly causationId?: string | null;
}

export const outboxChannel = (schema: string) => `olist_outbox_${schema}`;

/** What the outbox needs of the contract registry: the problems of a payload (none = valid). */
export interface PayloadValidator {
  validate(type: string, version: number, payload: unknown): string[];
}

/** An event whose payload breaks its contract, or that has none: a programming fault. */
export class ContractViolationError extends Error {
  constructor(
    readonly eventType: string,
    readonly version: number,
    readonly problems: readonly string[],
  ) {
    super(`${eventType} v${version} does not match its contract: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '; …' : ''}`);
    this.name = 'ContractViolationError';
  }
}

/** Most envelopes one outbox row (one JetStream message) carries. */
export const MAX_EVENTS_PER_MESSAGE = 500;
/** A batch message is closed once its body reaches this size (JetStream's default limit is 1 MiB). */
const MAX_BATCH_BYTES = 256 * 1024;
/** Aggregates whose events are grouped together (see batchRows). */
export const AGGREGATES_PER_RUN = 500;
/** Outbox rows per INSERT (nine parameters each; a statement takes at most 65,535). */
const ROWS_PER_STATEMENT = 1_000;

/** One outbox row: a batch of envelopes of one subject, `envelope` their JSON array as text. */
export interface OutboxBatchRow {
  readonly id: string;
  readonly subject: string;
  readonly type: string;
  readonly version: number;
  readonly aggregate_id: string | null;
  readonly correlation_id: string;
  readonly causation_id: string | null;
  readonly events: number;
  readonly envelope: string;
}


/**
 * Writes events into the service's outbox in the caller's transaction: they are published if and
 * only if that transaction commits. One INSERT per 1,000 outbox rows (batches of events, below).
 *
 * Events of one subject written together travel together: each outbox row holds a batch of up to
 * MAX_EVENTS_PER_MESSAGE envelopes (a JSON array), which the relay publishes as one JetStream
 * message and consumers take apart again (see `Olist-Events`); the events of AGGREGATES_PER_RUN
 * aggregates at a time are written before those of the next ones. An aggregate's events keep
 * their order: the k-th event of an aggregate in one call goes into a batch after those holding
 * its first k − 1 events.
 */
export class Outbox {
  private readonly table: string;

  /** With a validator, every event is checked against its contract before it is written. */
  constructor(
    readonly schema: string,
    private readonly contracts?: PayloadValidator,
  ) {
    this.table = `${quoteIdent(schema)}.outbox`;
  }

  async append(tx: SqlTx, events: readonly NewEvent[]): Promise<EventEnvelope[]> {
    if (events.length === 0) return [];
    if (this.contracts) {
      for (const e of events) {
        let problems: string[];
        try {
          problems = this.contracts.validate(e.type, e.version, e.payload);
        } catch (error) {
          problems = [error instanceof Error ? error.message : String(error)];
        }
        if (problems.length > 0) throw new ContractViolationError(e.type, e.version, problems);
      }
    }
    const scope = CorrelationContext.current();
    const recordedAt = new Date().toISOString();
    const envelopes: EventEnvelope[] = events.map((e) => ({
      id: e.id ?? randomUUID(),
      type: e.type,
      version: e.version,
      occurredAt: typeof e.occurredAt === 'string' ? e.occurredAt : e.occurredAt.toISOString(),
      recordedAt,
      aggregateId: e.aggregateId,
      correlationId: e.correlationId ?? scope?.correlationId ?? randomUUID(),
      causationId: e.causationId !== undefined ? e.causationId : (scope?.causationId ?? null),
      payload: e.payload,
    }));
    // Each envelope batch goes as a parameter of its own, verbatim: PostgreSQL reads each once (a
    // single JSON parameter holding them all was read twice, and took twice as long).
    const rows = batchRows(events, envelopes);
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(start, start + ROWS_PER_STATEMENT);
      const params: unknown[] = [];
      const tuples = chunk.map((r) => {
        const n = params.push(r.id, r.subject, r.type, r.version, r.aggregate_id, r.correlation_id, r.causation_id, r.events, r.envelope);
        return `($${n - 8}::uuid, $${n - 7}, $${n - 6}, $${n - 5}::int, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}::int, $${n})`;
      });
      await tx.query(
        `INSERT INTO ${this.table} (id, subject, type, version, aggregate_id, correlation_id, causation_id, events, envelope) VALUES ${tuples.join(', ')}`,
        params,
      );
    }
    // Delivered at commit, dropped on rollback: wakes the relay exactly when there is work.
    await tx.query('SELECT pg_notify($1, $2)', [outboxChannel(this.schema), '']);
    return envelopes;
  }
}

/**
 * Groups the envelopes into batch rows (each envelope serialized once): the aggregates, in order
 * of first appearance, in runs of AGGREGATES_PER_RUN; within a run by wave (the k-th event of each
 * aggregate in this call is in wave k), then by subject in order of first appearance; closed at
 * MAX_EVENTS_PER_MESSAGE envelopes or MAX_BATCH_BYTES. The events of an aggregate so stay close
 * together in the stream whatever the size of the call: a consumer taking consecutive messages
 * gets all of them at once (and writes its row once) instead of one subject at a time.
 */
export function batchRows(events: readonly NewEvent[], envelopes: readonly EventEnvelope[]): OutboxBatchRow[] {
  const seen = new Map<string, { run: number; events: number }>();
  const groups = new Map<string, { subject: string; run: number; wave: number; items: EventEnvelope[]; bodies: string[] }>();
  envelopes.forEach((envelope, i) => {
    const subject = (events[i] as NewEvent).subject;
    let aggregate = seen.get(envelope.aggregateId);
    if (!aggregate) seen.set(envelope.aggregateId, (aggregate = { run: Math.floor(seen.size / AGGREGATES_PER_RUN), events: 0 }));
    const { run } = aggregate;
    const wave = aggregate.events++;
    const key = `${run}\u0000${wave}\u0000${subject}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { subject, run, wave, items: [], bodies: [] }));
    group.items.push(envelope);
    group.bodies.push(JSON.stringify(envelope));
  });
  const rows: OutboxBatchRow[] = [];
  for (const group of [...groups.values()].sort((a, b) => a.run - b.run || a.wave - b.wave)) {
    for (let start = 0; start < group.bodies.length; ) {
      let end = start;
      let bytes = 2;
      while (end < group.bodies.length && end - start < MAX_EVENTS_PER_MESSAGE && (end === start || bytes + (group.bodies[end] as string).length < MAX_BATCH_BYTES)) {
        bytes += (group.bodies[end] as string).length + 1;
        end++;
      }
      const first = group.items[start] as EventEnvelope;
      rows.push({
        id: randomUUID(),
        subject: group.subject,
        type: first.type,
        version: first.version,
        aggregate_id: end - start === 1 ? first.aggregateId : null,
        correlation_id: first.correlationId,
        causation_id: first.causationId,
        events: end - start,
        envelope: `[${group.bodies.slice(start, end).join(',')}]`,
      });
      start = end;
    }
  }
  return rows;
}
