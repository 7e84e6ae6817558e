import type { InboundMessage } from '@olist/messaging';
import { type OrderCancelledV1, type OrderPlacedV1, SALES_SUBJECTS } from '@olist/sales-contracts';

/** The sales subjects the customer context reads. */
export const CUSTOMER_SALES_SUBJECTS = [SALES_SUBJECTS.ORDER_PLACED_V1, SALES_SUBJECTS.ORDER_CANCELLED_V1] as const;

/** Sales statuses that end an order without a sale: such an order counts for no metric. */
const CLOSED_STATUSES: ReadonlySet<string> = new Set(['canceled', 'unavailable']);

/**
 * What the customer context keeps of one sales order: who placed it, when, for how much, and
 * whether it was cancelled. Placement fields are null when only the cancellation is known.
 */
export interface OrderFact {
  readonly orderId: string;
  readonly customerId: string | null;
  readonly purchasedAt: string | null;
  /** price + freight over the items, decimal BRL, exact. */
  readonly orderTotal: string | null;
  /** Stream sequence of the order-placed the placement fields come from: the later one wins. */
  readonly placedSeq: number | null;
  readonly cancelled: boolean;
}

/**
 * Merges two facts of one order, whatever their arrival order: the placement of the later
 * order-placed (by stream sequence) wins, and a cancellation is never undone (sales publishes no
 * event that reopens an order).
 */
export function mergeOrderFacts(a: OrderFact, b: OrderFact): OrderFact {
  const placement = b.placedSeq !== null && (a.placedSeq === null || b.placedSeq > a.placedSeq) ? b : a;
  return {
    orderId: a.orderId,
    customerId: placement.customerId,
    purchasedAt: placement.purchasedAt,
    orderTotal: placement.orderTotal,
    placedSeq: placement.placedSeq,
    cancelled: a.cancelled || b.cancelled,
  };
}

/** Translates sales events into order facts, one per order (merged); other subjects are ignored. */
export function translateSalesEvents(messages: readonly InboundMessage[]): OrderFact[] {
  const facts = new Map<string, OrderFact>();
  const add = (fact: OrderFact) => {
    const known = facts.get(fact.orderId);
    facts.set(fact.orderId, known ? mergeOrderFacts(known, fact) : fact);
  };
  for (const message of messages) {
    if (message.subject === SALES_SUBJECTS.ORDER_PLACED_V1) {
      const placed = message.envelope<OrderPlacedV1>().payload;
      add({
        orderId: placed.orderId,
        customerId: placed.customerId,
        purchasedAt: placed.purchasedAt,
        orderTotal: placed.orderTotal,
        placedSeq: message.streamSequence,
        cancelled: CLOSED_STATUSES.has(placed.status),
      });
    } else if (message.subject === SALES_SUBJECTS.ORDER_CANCELLED_V1) {
      const cancelled = message.envelope<OrderCancelledV1>().payload;
      add({ orderId: cancelled.orderId, customerId: null, purchasedAt: null, orderTotal: null, placedSeq: null, cancelled: true });
    }
  }
  return [...facts.values()].sort((x, y) => (x.orderId < y.orderId ? -1 : x.orderId > y.orderId ? 1 : 0));
}
