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

/**
 * Writes events into the service's outbox in the caller's transaction: they are published if and
 * only if that transaction commits. One statement for any number of events.
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
    // One JSON parameter for the whole batch: cheaper to send and parse than eight parallel arrays.
    await tx.query(
      `INSERT INTO ${this.table} (id, subject, type, version, aggregate_id, correlation_id, causation_id, envelope)
       SELECT r.id, r.subject, r.type, r.version, r.aggregate_id, r.correlation_id, r.causation_id, r.envelope
         FROM json_to_recordset($1::json) AS r(id uuid, subject text, type text, version int, aggregate_id text,
                                              correlation_id text, causation_id text, envelope json)
       ON CONFLICT (id) DO NOTHING`,
      [
        JSON.stringify(
          envelopes.map((e, i) => ({
            id: e.id,
            subject: events[i]?.subject,
            type: e.type,
            version: e.version,
            aggregate_id: e.aggregateId,
            correlation_id: e.correlationId,
            causation_id: e.causationId,
            envelope: e,
          })),
        ),
      ],
    );
    // Delivered at commit, dropped on rollback: wakes the relay exactly when there is work.
    await tx.query('SELECT pg_notify($1, $2)', [outboxChannel(this.schema), '']);
    return envelopes;
  }
}
