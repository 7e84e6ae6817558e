import { Money } from '@olist/shared-kernel';

/** The segments of ARCHITECTURE §5 (same codes as customer-segment-changed). */
export const Segment = {
  VIP: 'VIP',
  LOYAL: 'LOYAL',
  REGULAR: 'REGULAR',
  ONE_TIME: 'ONE_TIME',
  NEW: 'NEW',
  CHURNED: 'CHURNED',
} as const;

export type Segment = (typeof Segment)[keyof typeof Segment];

/** More than this many days since the last order: churned. */
export const CHURN_AFTER_DAYS = 180;
/** More than this many orders: loyal (and VIP above the VIP amount). */
export const LOYAL_ABOVE_ORDERS = 5;
/** More than this amount spent (with more than LOYAL_ABOVE_ORDERS orders): VIP. */
export const VIP_ABOVE = Money.ofCentavos(100_000);

const DAY_MS = 86_400_000;

/** What the segment is computed from: the customer's orders, the amount spent and the last order time. */
export interface CustomerMetrics {
  readonly orders: number;
  readonly monetary: Money;
  /** Null when the customer has no order. */
  readonly lastOrderAt: Date | null;
}

export const NO_ORDERS: CustomerMetrics = Object.freeze({ orders: 0, monetary: Money.zero(), lastOrderAt: null });

/** Strictly more than 180 days between the last order and `asOf`; a customer without orders is never churned. */
export function isChurned(metrics: CustomerMetrics, asOf: Date): boolean {
  if (metrics.lastOrderAt === null) return false;
  return asOf.getTime() - metrics.lastOrderAt.getTime() > CHURN_AFTER_DAYS * DAY_MS;
}

export function isVip(metrics: CustomerMetrics): boolean {
  return metrics.orders > LOYAL_ABOVE_ORDERS && metrics.monetary.compare(VIP_ABOVE) > 0;
}

export function isLoyal(metrics: CustomerMetrics): boolean {
  return metrics.orders > LOYAL_ABOVE_ORDERS;
}

export function isRegular(metrics: CustomerMetrics): boolean {
  return metrics.orders > 1;
}

export function isOneTime(metrics: CustomerMetrics): boolean {
  return metrics.orders === 1;
}

export function isNew(metrics: CustomerMetrics): boolean {
  return metrics.orders === 0;
}

/**
 * The segment of a customer as of `asOf`. Precedence, first match wins:
 * CHURNED (recency beats value: a lapsed VIP is churned), VIP, LOYAL, REGULAR, ONE_TIME, NEW.
 * The rules are then disjoint: NEW has no last order so it cannot be churned, and
 * VIP ⊂ LOYAL ⊂ REGULAR by the order counts.
 */
export function segmentOf(metrics: CustomerMetrics, asOf: Date): Segment {
  if (metrics.orders < 0 || !Number.isInteger(metrics.orders)) {
    throw new RangeError(`segmentOf expects a whole, non-negative order count, got ${String(metrics.orders)}`);
  }
  if (isChurned(metrics, asOf)) return Segment.CHURNED;
  if (isVip(metrics)) return Segment.VIP;
  if (isLoyal(metrics)) return Segment.LOYAL;
  if (isRegular(metrics)) return Segment.REGULAR;
  if (isOneTime(metrics)) return Segment.ONE_TIME;
  return Segment.NEW;
}

/** The default as-of date: the last purchase of the data set (the latest of the given last-order times). */
export function defaultAsOf(lastOrders: Iterable<Date | null>): Date | null {
  let latest: Date | null = null;
  for (const at of lastOrders) if (at !== null && (latest === null || at.getTime() > latest.getTime())) latest = at;
  return latest;
}

/** A segment change, or null when the segment is the same as before. `from` is null for a first segment. */
export function segmentChange(previous: Segment | null, next: Segment): { from: Segment | null; to: Segment } | null {
  return previous === next ? null : { from: previous, to: next };
}
