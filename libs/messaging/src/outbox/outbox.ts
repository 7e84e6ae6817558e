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


/**
 * Writes events into the service's outbox in the caller's transaction: they are published if and
 * only if that transaction commits. One statement for any number of events.
 *
 * Events of one subject written together travel together: each outbox row holds a batch of up to
 * MAX_EVENTS_PER_MESSAGE envelopes (a JSON array), which the relay publishes as one JetStream
 * message and consumers take apart again (see `Olist-Events`). An aggregate's events keep their
 * order: the k-th event of an aggregate in one call goes into a batch after those holding its
 * first k − 1 events.
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
    // One JSON parameter for the whole call: cheaper to send and parse than parallel arrays.
    await tx.query(
      `INSERT INTO ${this.table} (id, subject, type, version, aggregate_id, correlation_id, causation_id, events, envelope)
       SELECT r.id, r.subject, r.type, r.version, r.aggregate_id, r.correlation_id, r.causation_id, r.events, r.envelope
         FROM json_to_recordset($1::json) AS r(id uuid, subject text, type text, version int, aggregate_id text,
                                              correlation_id text, causation_id text, events int, envelope json)`,
      [`[${batchRows(events, envelopes).join(',')}]`],
    );
    // Delivered at commit, dropped on rollback: wakes the relay exactly when there is work.
    await tx.query('SELECT pg_notify($1, $2)', [outboxChannel(this.schema), '']);
    return envelopes;
  }
}

/**
 * Groups the envelopes into batch rows (JSON text of a record for json_to_recordset, each
 * envelope serialized once): by wave (the k-th event of each aggregate in this call is in wave k),
 * then by subject in order of first appearance, closed at MAX_EVENTS_PER_MESSAGE envelopes or
 * MAX_BATCH_BYTES.
 */
export function batchRows(events: readonly NewEvent[], envelopes: readonly EventEnvelope[]): string[] {
  const seen = new Map<string, number>();
  const groups = new Map<string, { subject: string; wave: number; items: EventEnvelope[]; bodies: string[] }>();
  envelopes.forEach((envelope, i) => {
    const subject = (events[i] as NewEvent).subject;
    const wave = seen.get(envelope.aggregateId) ?? 0;
    seen.set(envelope.aggregateId, wave + 1);
    const key = `${wave}\u0000${subject}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { subject, wave, items: [], bodies: [] }));
    group.items.push(envelope);
    group.bodies.push(JSON.stringify(envelope));
  });
  const rows: string[] = [];
  for (const group of [...groups.values()].sort((a, b) => a.wave - b.wave)) {
    for (let start = 0; start < group.bodies.length; ) {
      let end = start;
      let bytes = 2;
      while (end < group.bodies.length && end - start < MAX_EVENTS_PER_MESSAGE && (end === start || bytes + (group.bodies[end] as string).length < MAX_BATCH_BYTES)) {
        bytes += (group.bodies[end] as string).length + 1;
        end++;
      }
      const first = group.items[start] as EventEnvelope;
      const meta = JSON.stringify({
        id: randomUUID(),
        subject: group.subject,
        type: first.type,
        version: first.version,
        aggregate_id: end - start === 1 ? first.aggregateId : null,
        correlation_id: first.correlationId,
        causation_id: first.causationId,
        events: end - start,
      });
      rows.push(`${meta.slice(0, -1)},"envelope":[${group.bodies.slice(start, end).join(',')}]}`);
      start = end;
    }
  }
  return rows;
}
