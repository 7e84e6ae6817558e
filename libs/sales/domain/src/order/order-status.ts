import { type DomainError, type Result, domainError, err, ok } from '@olist/shared-kernel';
import { OrderErrorCode } from './order.errors';

export const ORDER_STATUSES = ['created', 'approved', 'invoiced', 'processing', 'shipped', 'delivered', 'canceled', 'unavailable'] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

export type ClosedStatus = Extract<OrderStatus, 'canceled' | 'unavailable'>;

/**
 * Position on the way to delivery: created → approved → invoiced/processing → shipped → delivered.
 * invoiced and processing share a step (Olist uses either, in either order).
 */
const STEP: Record<Exclude<OrderStatus, ClosedStatus>, number> = {
  created: 0,
  approved: 1,
  invoiced: 2,
  processing: 2,
  shipped: 3,
  delivered: 4,
};

export function isOrderStatus(value: string): value is OrderStatus {
  return (ORDER_STATUSES as readonly string[]).includes(value);
}

export function parseOrderStatus(text: string | null): Result<OrderStatus, DomainError> {
  const value = (text ?? '').trim();
  if (isOrderStatus(value)) return ok(value);
  return err(domainError(OrderErrorCode.UNKNOWN_STATUS, `order_status "${value}" is not one of ${ORDER_STATUSES.join(', ')}`));
}

export function isClosed(status: OrderStatus): status is ClosedStatus {
  return status === 'canceled' || status === 'unavailable';
}

/**
 * Whether an order may move from `from` to `to`. Staying is always allowed. Steps may be skipped
 * (the source data only shows the latest status), but never taken back. A delivered order is final;
 * an open order may be canceled or become unavailable; an unavailable order may still be canceled.
 */
export function checkTransition(from: OrderStatus, to: OrderStatus): Result<OrderStatus, DomainError> {
  if (from === to) return ok(to);
  if (from === 'delivered') {
    return err(domainError(OrderErrorCode.DELIVERED_IS_FINAL, `a delivered order cannot become ${to}`));
  }
  if (isClosed(from)) {
    if (from === 'unavailable' && to === 'canceled') return ok(to);
    return err(domainError(OrderErrorCode.INVALID_TRANSITION, `a ${from} order cannot become ${to}`));
  }
  if (isClosed(to)) return ok(to);
  const [a, b] = [STEP[from], STEP[to]];
  if (b > a || (a === 2 && b === 2)) return ok(to);
  return err(domainError(OrderErrorCode.INVALID_TRANSITION, `an order cannot go back from ${from} to ${to}`));
}
