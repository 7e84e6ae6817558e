import type { InboundMessage, SqlTx } from '@olist/messaging';
import { markSegmentsDirty } from '../segments/segment-work';
import { type OrderFact, translateSalesEvents } from './sales-events.acl';

/** What applying a set of sales events did. */
export interface SalesEventsOutcome {
  /** Orders whose stored facts changed. */
  readonly ordersChanged: number;
}

/** The incoming placement is from a later order-placed than the stored one. */
const NEWER = `(EXCLUDED.placed_seq IS NOT NULL AND (f.placed_seq IS NULL OR EXCLUDED.placed_seq > f.placed_seq))`;

/**
 * Applies sales events to customer.order_facts in the caller's transaction with one upsert per
 * batch, whatever order they arrive in: the placement of the latest order-placed (stream sequence)
 * wins, a cancellation sticks. When a fact changed, the segments are marked dirty; nothing is
 * recomputed here (the as-of moves while a load streams in).
 */
export class SalesEventsHandler {
  /** The handler of the customer-sales durable consumers. */
  async handle(messages: readonly InboundMessage[], tx: SqlTx): Promise<SalesEventsOutcome> {
    return this.apply(translateSalesEvents(messages), tx);
  }

  async apply(facts: readonly OrderFact[], tx: SqlTx): Promise<SalesEventsOutcome> {
    if (facts.length === 0) return { ordersChanged: 0 };
    const records = facts.map((f) => ({
      order_id: f.orderId,
      customer_id: f.customerId,
      purchased_at: f.purchasedAt,
      order_total: f.orderTotal,
      placed_seq: f.placedSeq,
      cancelled: f.cancelled,
    }));
    // Rows in key order, so two consumers' batches touching the same orders cannot deadlock.
    const changed = await tx.query<{ order_id: string }>(
      `INSERT INTO customer.order_facts AS f (order_id, customer_id, purchased_at, order_total, placed_seq, cancelled)
       SELECT r.order_id, r.customer_id, r.purchased_at, r.order_total, r.placed_seq, r.cancelled
         FROM json_to_recordset($1::json) AS r(order_id text, customer_id text, purchased_at timestamptz, order_total numeric,
              placed_seq bigint, cancelled boolean)
        ORDER BY r.order_id COLLATE "C"
       ON CONFLICT (order_id) DO UPDATE SET
         customer_id  = CASE WHEN ${NEWER} THEN EXCLUDED.customer_id ELSE f.customer_id END,
         purchased_at = CASE WHEN ${NEWER} THEN EXCLUDED.purchased_at ELSE f.purchased_at END,
         order_total  = CASE WHEN ${NEWER} THEN EXCLUDED.order_total ELSE f.order_total END,
         placed_seq   = CASE WHEN ${NEWER} THEN EXCLUDED.placed_seq ELSE f.placed_seq END,
         cancelled    = f.cancelled OR EXCLUDED.cancelled,
         updated_at   = now()
       WHERE (${NEWER} AND (f.customer_id, f.purchased_at, f.order_total) IS DISTINCT FROM (EXCLUDED.customer_id, EXCLUDED.purchased_at, EXCLUDED.order_total))
          OR (EXCLUDED.cancelled AND NOT f.cancelled)
       RETURNING f.order_id`,
      [JSON.stringify(records)],
    );
    if (changed.length > 0) await markSegmentsDirty(tx);
    return { ordersChanged: changed.length };
  }
}
