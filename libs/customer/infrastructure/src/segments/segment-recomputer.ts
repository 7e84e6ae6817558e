import { CUSTOMER_SEGMENT_CHANGED_V1, type CustomerSegmentChangedV1, type CustomerSegmentV1 } from '@olist/customer-contracts';
import { type NewEvent, type Outbox, type SqlTx, type Transactor, withContentId } from '@olist/messaging';
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
  /** Persons per transaction of `recomputeInChunks` (default 10,000). */
  readonly personsPerChunk?: number;
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS"Z"'`;
const LOCK = `hashtext('customer.segments')`;

/** `column` in [from, to) of customer_unique_id, the bounds given as text parameters (NULL: unbounded). */
const personsIn = (column: string, from: string, to: string) =>
  `(${from}::text IS NULL OR ${column} >= ${from}) AND (${to}::text IS NULL OR ${column} < ${to})`;

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
  private readonly personsPerChunk: number;

  constructor(
    private readonly outbox: Outbox,
    options: SegmentRecomputerOptions = {},
  ) {
    this.fixedAsOf = options.asOf ?? null;
    this.appendChunk = options.appendChunk ?? 5_000;
    this.personsPerChunk = options.personsPerChunk ?? 10_000;
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

  /** Recomputes now, in the caller's transaction; null when another transaction holds the recomputation lock. */
  async recompute(tx: SqlTx): Promise<SegmentRecomputation | null> {
    if (!(await this.tryLock(tx))) return null;
    const { generation, asOf } = await this.begin(tx);
    const { customers, changed } = await this.recomputeRange(tx, asOf, null, null);
    await this.finish(tx, generation, asOf);
    return { asOf, customers, changed, generation };
  }

  /**
   * Recomputes now as `recompute` does, in transactions of `personsPerChunk` persons each (ranges
   * of customer_unique_id), so that the events of the first persons are published and applied
   * downstream while the next ones are worked out; the as-of and the input generation are fixed
   * by the first transaction and the generation is recorded by the last, so inputs moving
   * meanwhile leave the segments dirty, as they do for `recompute`. Until the last range commits
   * the segments are those of two computations. Null when another transaction holds the
   * recomputation lock at the start; each range waits for it.
   */
  async recomputeInChunks(transactor: Transactor): Promise<SegmentRecomputation | null> {
    const started = await transactor.transaction(async (tx) => {
      if (!(await this.tryLock(tx))) return null;
      const begun = await this.begin(tx);
      const bounds = await tx.query<{ id: string }>(
        `SELECT customer_unique_id AS id
           FROM (SELECT customer_unique_id, row_number() OVER (ORDER BY customer_unique_id) AS n FROM customer.customers) p
          WHERE n > 1 AND n % $1 = 1 ORDER BY n`,
        [this.personsPerChunk],
      );
      return { ...begun, edges: [null, ...bounds.map((b) => b.id), null] };
    });
    if (!started) return null;
    const { generation, asOf, edges } = started;
    let customers = 0;
    let changed = 0;
    for (let i = 0; i + 1 < edges.length; i++) {
      const range = await transactor.transaction(async (tx) => {
        await tx.query(`SELECT pg_advisory_xact_lock(${LOCK})`);
        return this.recomputeRange(tx, asOf, edges[i] ?? null, edges[i + 1] ?? null);
      });
      customers += range.customers;
      changed += range.changed;
    }
    await transactor.transaction((tx) => this.finish(tx, generation, asOf));
    return { asOf, customers, changed, generation };
  }

  private async tryLock(tx: SqlTx): Promise<boolean> {
    const [lock] = await tx.query<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock(${LOCK}) AS locked`);
    return lock?.locked ?? false;
  }

  /** The input generation (read before the inputs: whatever commits later moves it past) and the as-of. */
  private async begin(tx: SqlTx): Promise<{ generation: number; asOf: string }> {
    const [work] = await tx.query<{ generation: string }>(`SELECT generation FROM customer.segment_work`);
    const generation = Number(work?.generation ?? 0);
    const [asOfRow] = await tx.query<{ as_of: string }>(
      `SELECT to_char(COALESCE(date_trunc('second', $1::timestamptz), (SELECT max(purchased_at) FROM customer.order_facts),
                               date_trunc('second', clock_timestamp())) AT TIME ZONE 'UTC', ${ISO}) AS as_of`,
      [this.fixedAsOf?.toISOString() ?? null],
    );
    return { generation, asOf: (asOfRow as { as_of: string }).as_of };
  }

  private async finish(tx: SqlTx, generation: number, asOf: string): Promise<void> {
    await tx.query(
      `UPDATE customer.segment_work SET computed_generation = GREATEST(computed_generation, $1::bigint), as_of = $2::timestamptz,
              computed_at = clock_timestamp()`,
      [generation, asOf],
    );
  }

  /**
   * Segments the persons whose customer_unique_id is in [`from`, `to`) (null: unbounded), upserts
   * them and writes their events; returns how many persons and how many changed.
   */
  private async recomputeRange(tx: SqlTx, asOf: string, from: string | null, to: string | null): Promise<{ customers: number; changed: number }> {
    const inRange = (column: string) => personsIn(column, '$2', '$3');
    // One statement, one snapshot: `previous` sees the segments as they were before the upsert.
    const changed = await tx.query<ChangedRow & { customers: number }>(
      `WITH agg AS (
         SELECT ci.customer_unique_id, count(DISTINCT f.order_id)::int AS orders, sum(f.order_total) AS monetary,
                max(f.purchased_at) AS last_order_at
           FROM customer.order_facts f
           JOIN customer.customer_ids ci ON ci.customer_id = f.customer_id
          WHERE NOT f.cancelled AND f.purchased_at IS NOT NULL AND f.order_total IS NOT NULL AND ${inRange('ci.customer_unique_id')}
          GROUP BY ci.customer_unique_id),
       metrics AS (
         SELECT c.customer_unique_id, COALESCE(a.orders, 0) AS orders, COALESCE(a.monetary, 0)::numeric(14,2) AS monetary,
                a.last_order_at, $1::timestamptz AS as_of
           FROM customer.customers c LEFT JOIN agg a USING (customer_unique_id)
          WHERE ${inRange('c.customer_unique_id')}),
       classified AS (
         SELECT m.*, ${segmentCaseSql({ orders: 'm.orders', monetary: 'm.monetary', lastOrderAt: 'm.last_order_at', asOf: 'm.as_of' })} AS segment
           FROM metrics m),
       previous AS (SELECT customer_unique_id, segment, orders, monetary FROM customer.segments WHERE ${inRange('customer_unique_id')}),
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
      [asOf, from, to],
    );
    const events = changed.map((row) => this.segmentChanged(row, asOf));
    for (let i = 0; i < events.length; i += this.appendChunk) await this.outbox.append(tx, events.slice(i, i + this.appendChunk));
    const customers = changed[0]?.customers ?? (await this.count(tx, from, to));
    return { customers, changed: changed.length };
  }

  private async count(tx: SqlTx, from: string | null, to: string | null): Promise<number> {
    const [row] = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM customer.segments WHERE ${personsIn('customer_unique_id', '$1', '$2')}`,
      [from, to],
    );
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
    return withContentId({ type, version, subject, aggregateId: row.customer_unique_id, occurredAt: asOf, payload });
  }
}
