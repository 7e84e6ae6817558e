import { CUSTOMER_SEGMENT_CHANGED_V1, type CustomerSegmentChangedV1, type CustomerSegmentV1 } from '@olist/customer-contracts';
import type { NewEvent, Outbox, SqlTx } from '@olist/messaging';
import { deterministicEventId } from '../messaging/customer-import.handler';
import { segmentCaseSql } from './segment.sql';

/** What one recomputation did. */
export interface SegmentRecomputation {
  readonly asOf: string;
  /** Persons segmented. */
  readonly customers: number;
  /** Persons whose segment, orders or monetary changed, or who got a first segment: one customer-segment-changed each. */
  readonly changed: number;
  /** The input generation the segments now reflect. */
  readonly generation: number;
}

export interface SegmentRecomputerOptions {
  /** Fixed as-of (CUSTOMER_SEGMENT_AS_OF); null: the latest purchase of all orders known. */
  readonly asOf?: Date | null;
  /** Events per outbox statement. */
  readonly appendChunk?: number;
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS"Z"'`;
const LOCK = `hashtext('customer.segments')`;

interface ChangedRow {
  customer_unique_id: string;
  from_segment: CustomerSegmentV1 | null;
  to_segment: CustomerSegmentV1;
  orders: number;
  monetary: string;
}

/**
 * Recomputes every person's metrics and segment in SQL, in the caller's transaction, under a
 * transaction-scoped advisory lock (one recomputation at a time across instances):
 * orders = distinct non-cancelled orders of all the person's customer ids, monetary = their
 * total, last order = their latest purchase; as-of = the fixed one or the latest purchase of all
 * orders known. customer.segments is upserted and every person whose segment, orders or monetary
 * changed (or who got a first segment) gets a customer-segment-changed with occurredAt = as-of and
 * an id derived from its content — `from` = `to` when only the figures moved, so whoever keeps
 * the figures it carries stays exact. A moved as-of alone emits nothing. Computed again on the
 * same inputs, it changes and emits nothing.
 */
export class SegmentRecomputer {
  private readonly fixedAsOf: Date | null;
  private readonly appendChunk: number;

  constructor(
    private readonly outbox: Outbox,
    options: SegmentRecomputerOptions = {},
  ) {
    this.fixedAsOf = options.asOf ?? null;
    this.appendChunk = options.appendChunk ?? 5_000;
  }

  /** True when the inputs changed since the last recomputation and have not moved for `quietMs`. */
  async due(db: SqlTx, quietMs: number): Promise<{ dirty: boolean }> {
    const [row] = await db.query<{ dirty: boolean; quiet_ms: number }>(
      `SELECT generation > computed_generation AS dirty,
              (extract(epoch FROM clock_timestamp() - touched_at) * 1000)::float8 AS quiet_ms
         FROM customer.segment_work`,
    );
    if (!row) return { dirty: false };
    return { dirty: row.dirty && row.quiet_ms >= quietMs };
  }

  /** Recomputes now; null when another transaction holds the recomputation lock. */
  async recompute(tx: SqlTx): Promise<SegmentRecomputation | null> {
    const [lock] = await tx.query<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock(${LOCK}) AS locked`);
    if (!lock?.locked) return null;
    // Read before the inputs: whatever commits later moves the generation past it and stays dirty.
    const [work] = await tx.query<{ generation: string }>(`SELECT generation FROM customer.segment_work`);
    const generation = Number(work?.generation ?? 0);
    const [asOfRow] = await tx.query<{ as_of: string }>(
      `SELECT to_char(COALESCE(date_trunc('second', $1::timestamptz), (SELECT max(purchased_at) FROM customer.order_facts),
                               date_trunc('second', clock_timestamp())) AT TIME ZONE 'UTC', ${ISO}) AS as_of`,
      [this.fixedAsOf?.toISOString() ?? null],
    );
    const asOf = (asOfRow as { as_of: string }).as_of;

    // One statement, one snapshot: `previous` sees the segments as they were before the upsert.
    const changed = await tx.query<ChangedRow & { customers: number }>(
      `WITH agg AS (
         SELECT ci.customer_unique_id, count(DISTINCT f.order_id)::int AS orders, sum(f.order_total) AS monetary,
                max(f.purchased_at) AS last_order_at
           FROM customer.order_facts f
           JOIN customer.customer_ids ci ON ci.customer_id = f.customer_id
          WHERE NOT f.cancelled AND f.purchased_at IS NOT NULL AND f.order_total IS NOT NULL
          GROUP BY ci.customer_unique_id),
       metrics AS (
         SELECT c.customer_unique_id, COALESCE(a.orders, 0) AS orders, COALESCE(a.monetary, 0)::numeric(14,2) AS monetary,
                a.last_order_at, $1::timestamptz AS as_of
           FROM customer.customers c LEFT JOIN agg a USING (customer_unique_id)),
       classified AS (
         SELECT m.*, ${segmentCaseSql({ orders: 'm.orders', monetary: 'm.monetary', lastOrderAt: 'm.last_order_at', asOf: 'm.as_of' })} AS segment
           FROM metrics m),
       previous AS (SELECT customer_unique_id, segment, orders, monetary FROM customer.segments),
       written AS (
         INSERT INTO customer.segments AS s (customer_unique_id, segment, orders, monetary, last_order_at, as_of)
         SELECT customer_unique_id, segment, orders, monetary, last_order_at, as_of FROM classified
         ON CONFLICT (customer_unique_id) DO UPDATE SET segment = EXCLUDED.segment, orders = EXCLUDED.orders,
           monetary = EXCLUDED.monetary, last_order_at = EXCLUDED.last_order_at, as_of = EXCLUDED.as_of, updated_at = now()
         WHERE (s.segment, s.orders, s.monetary, s.last_order_at, s.as_of)
               IS DISTINCT FROM (EXCLUDED.segment, EXCLUDED.orders, EXCLUDED.monetary, EXCLUDED.last_order_at, EXCLUDED.as_of)
         RETURNING 1)
       SELECT k.customer_unique_id, p.segment AS from_segment, k.segment AS to_segment, k.orders, k.monetary::text AS monetary,
              (SELECT count(*)::int FROM classified) AS customers
         FROM classified k LEFT JOIN previous p USING (customer_unique_id)
        WHERE (p.segment, p.orders, p.monetary) IS DISTINCT FROM (k.segment, k.orders, k.monetary)
        ORDER BY k.customer_unique_id COLLATE "C"`,
      [asOf],
    );

    const events = changed.map((row) => this.segmentChanged(row, asOf));
    for (let i = 0; i < events.length; i += this.appendChunk) await this.outbox.append(tx, events.slice(i, i + this.appendChunk));
    await tx.query(
      `UPDATE customer.segment_work SET computed_generation = GREATEST(computed_generation, $1::bigint), as_of = $2::timestamptz,
              computed_at = clock_timestamp()`,
      [generation, asOf],
    );
    const customers = changed[0]?.customers ?? (await this.count(tx));
    return { asOf, customers, changed: changed.length, generation };
  }

  private async count(tx: SqlTx): Promise<number> {
    const [row] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM customer.segments`);
    return row?.n ?? 0;
  }

  private segmentChanged(row: ChangedRow, asOf: string): NewEvent {
    const payload: CustomerSegmentChangedV1 = {
      customerUniqueId: row.customer_unique_id,
      from: row.from_segment,
      to: row.to_segment,
      asOf,
      orders: row.orders,
      monetary: row.monetary,
    };
    const { type, version, subject } = CUSTOMER_SEGMENT_CHANGED_V1;
    return { id: deterministicEventId(row.customer_unique_id, type, version, payload), type, version, subject, aggregateId: row.customer_unique_id, occurredAt: asOf, payload };
  }
}
