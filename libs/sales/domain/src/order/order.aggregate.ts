import { type DomainError, Money, type Result, domainError, err, ok } from '@olist/shared-kernel';
import { OrderErrorCode } from './order.errors';
import type { OrderEvent, OrderPlacedPayload } from './order.events';
import { checkItem, checkPayment, type OrderItem, type OrderPayment, sameItem, samePayment } from './order-line';
import { checkTransition, isClosed, type OrderStatus } from './order-status';

/** The order row of the source: who bought, when, and where the order stands. */
export interface OrderHeader {
  readonly orderId: string;
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly purchasedAt: Date;
  readonly approvedAt: Date | null;
  readonly deliveredCarrierAt: Date | null;
  readonly deliveredCustomerAt: Date | null;
  readonly estimatedDeliveryAt: Date | null;
}

/** Something about an order worth knowing that does not stop it from being kept. */
export interface OrderIssue {
  readonly code: string;
  readonly message: string;
}

/** What the source says about an order now: its header (when known), and items and payments to add or replace. */
export interface OrderRevision {
  readonly header?: OrderHeader;
  readonly items?: readonly OrderItem[];
  readonly payments?: readonly OrderPayment[];
}

export const isoTime = (d: Date): string => d.toISOString().replace('.000Z', 'Z');

const sameTime = (a: Date | null, b: Date | null) => (a === null ? b === null : b !== null && a.getTime() === b.getTime());

function sameHeader(a: OrderHeader, b: OrderHeader): boolean {
  return (
    a.orderId === b.orderId &&
    a.customerId === b.customerId &&
    a.status === b.status &&
    sameTime(a.purchasedAt, b.purchasedAt) &&
    sameTime(a.approvedAt, b.approvedAt) &&
    sameTime(a.deliveredCarrierAt, b.deliveredCarrierAt) &&
    sameTime(a.deliveredCustomerAt, b.deliveredCustomerAt) &&
    sameTime(a.estimatedDeliveryAt, b.estimatedDeliveryAt)
  );
}

/** Lines keyed by their sequence; a later line with the same sequence replaces an earlier one. */
function mergeBySeq<T>(current: readonly T[], incoming: readonly T[], seq: (line: T) => number): T[] {
  const merged = new Map<number, T>(current.map((line) => [seq(line), line]));
  for (const line of incoming) merged.set(seq(line), line);
  return [...merged.values()].sort((a, b) => seq(a) - seq(b));
}

function firstDuplicate<T>(lines: readonly T[], seq: (line: T) => number): number | undefined {
  const seen = new Set<number>();
  for (const line of lines) {
    if (seen.has(seq(line))) return seq(line);
    seen.add(seq(line));
  }
  return undefined;
}

/**
 * An order with its items and payments. Totals are exact money: total = Σ (price + freight);
 * payments are reconciled against that total and the difference is kept. An order without items
 * is kept with the issue ORDER.NO_ITEMS. A delivered order is final: its header, items and payments
 * are not changed any more, though items and payments that were still unknown may be added.
 */
export class Order {
  private constructor(
    readonly header: OrderHeader,
    readonly items: readonly OrderItem[],
    readonly payments: readonly OrderPayment[],
  ) {
    Object.freeze(this);
  }

  get id(): string {
    return this.header.orderId;
  }

  get status(): OrderStatus {
    return this.header.status;
  }

  /** An order as the source first shows it. */
  static place(header: OrderHeader, items: readonly OrderItem[] = [], payments: readonly OrderPayment[] = []): Result<Order, DomainError> {
    const duplicateItem = firstDuplicate(items, (i) => i.itemSeq);
    if (duplicateItem !== undefined) {
      return err(domainError(OrderErrorCode.DUPLICATE_ITEM, `order ${header.orderId} has item ${duplicateItem} twice`));
    }
    const duplicatePayment = firstDuplicate(payments, (p) => p.sequential);
    if (duplicatePayment !== undefined) {
      return err(domainError(OrderErrorCode.DUPLICATE_PAYMENT, `order ${header.orderId} has payment ${duplicatePayment} twice`));
    }
    return Order.build(header, items, payments);
  }

  /** An order as it was stored (already checked when it was placed or revised). */
  static reconstitute(header: OrderHeader, items: readonly OrderItem[], payments: readonly OrderPayment[]): Order {
    return new Order(
      header,
      [...items].sort((a, b) => a.itemSeq - b.itemSeq),
      [...payments].sort((a, b) => a.sequential - b.sequential),
    );
  }

  private static build(header: OrderHeader, items: readonly OrderItem[], payments: readonly OrderPayment[]): Result<Order, DomainError> {
    for (const item of items) {
      const checked = checkItem(item);
      if (!checked.ok) return checked;
    }
    for (const payment of payments) {
      const checked = checkPayment(payment);
      if (!checked.ok) return checked;
    }
    return ok(Order.reconstitute(header, items, payments));
  }

  /**
   * The order after what the source says now (latest value wins): a new header must be a lawful
   * status transition; items and payments are added or replaced by their sequence.
   */
  revise(revision: OrderRevision): Result<Order, DomainError> {
    const header = revision.header ?? this.header;
    if (header.orderId !== this.id) throw new Error(`revision of order ${header.orderId} applied to order ${this.id}`);
    const transition = checkTransition(this.status, header.status);
    if (!transition.ok) return transition;
    const items = mergeBySeq(this.items, revision.items ?? [], (i) => i.itemSeq);
    const payments = mergeBySeq(this.payments, revision.payments ?? [], (p) => p.sequential);
    if (this.status === 'delivered') {
      const changed =
        !sameHeader(this.header, header) ||
        this.items.some((old) => !sameItem(old, items.find((i) => i.itemSeq === old.itemSeq) as OrderItem)) ||
        this.payments.some((old) => !samePayment(old, payments.find((p) => p.sequential === old.sequential) as OrderPayment));
      if (changed) {
        return err(domainError(OrderErrorCode.DELIVERED_IS_FINAL, `order ${this.id} is delivered; its recorded data is not changed`));
      }
    }
    return Order.build(header, items, payments);
  }

  get itemsTotal(): Money {
    return Money.sum(this.items.map((i) => i.price));
  }

  get freightTotal(): Money {
    return Money.sum(this.items.map((i) => i.freight));
  }

  /** Σ (price + freight) over the items. */
  get total(): Money {
    return this.itemsTotal.add(this.freightTotal);
  }

  get paymentsTotal(): Money {
    return Money.sum(this.payments.map((p) => p.value));
  }

  /** Payments minus total: positive when more was paid than the items cost, zero when they match. */
  get paymentDifference(): Money {
    return this.paymentsTotal.subtract(this.total);
  }

  /** What is incomplete or inconsistent about the order; it is kept all the same. */
  get issues(): OrderIssue[] {
    const issues: OrderIssue[] = [];
    if (this.items.length === 0) issues.push({ code: OrderErrorCode.NO_ITEMS, message: 'no item of this order has been received' });
    if (this.payments.length === 0) issues.push({ code: OrderErrorCode.NO_PAYMENTS, message: 'no payment of this order has been received' });
    if (this.items.length > 0 && this.payments.length > 0 && !this.paymentDifference.isZero()) {
      issues.push({
        code: OrderErrorCode.PAYMENT_MISMATCH,
        message: `payments ${this.paymentsTotal.toDecimalString()} differ from the order total ${this.total.toDecimalString()} by ${this.paymentDifference.toDecimalString()}`,
      });
    }
    if (this.status === 'delivered' && this.header.deliveredCustomerAt === null) {
      issues.push({ code: OrderErrorCode.DELIVERED_WITHOUT_DATE, message: 'the order is delivered but the delivery date is unknown' });
    }
    return issues;
  }

  /**
   * The events that tell a reader who knew `previous` (null: nothing) what changed. Each event is
   * derived from the state; one is raised when its content differs from what `previous` implies,
   * so the same state applied again raises nothing.
   */
  eventsSince(previous: Order | null): OrderEvent[] {
    const events: OrderEvent[] = [];
    const placed = this.placedPayload();
    const placedBefore = previous?.placedPayload() ?? null;
    if (placed && (!placedBefore || JSON.stringify({ ...placed, status: '' }) !== JSON.stringify({ ...placedBefore, status: '' }))) {
      events.push({ type: 'sales.order-placed', occurredAt: this.header.purchasedAt, payload: placed });
    }
    const { approvedAt } = this.header;
    if (approvedAt && !sameTime(approvedAt, previous?.header.approvedAt ?? null)) {
      events.push({ type: 'sales.order-approved', occurredAt: approvedAt, payload: { orderId: this.id, approvedAt: isoTime(approvedAt) } });
    }
    const payments = this.paymentsPayload();
    if (payments && JSON.stringify(payments) !== JSON.stringify(previous?.paymentsPayload() ?? null)) {
      events.push({ type: 'sales.payment-received', occurredAt: approvedAt ?? this.header.purchasedAt, payload: payments });
    }
    const status = this.status;
    if (isClosed(status) && previous?.status !== status) {
      events.push({
        type: 'sales.order-cancelled',
        occurredAt: this.lastKnownTime(),
        payload: { orderId: this.id, status, cancelledAt: null, reason: `order_status is ${status} in the source data` },
      });
    }
    const completed = this.completedPayload();
    if (completed && JSON.stringify(completed) !== JSON.stringify(previous?.completedPayload() ?? null)) {
      events.push({ type: 'sales.order-completed', occurredAt: this.header.deliveredCustomerAt as Date, payload: completed });
    }
    return events;
  }

  private placedPayload(): OrderPlacedPayload | null {
    if (this.items.length === 0) return null;
    return {
      orderId: this.id,
      customerId: this.header.customerId,
      status: this.status,
      purchasedAt: isoTime(this.header.purchasedAt),
      items: this.items.map((i) => ({
        itemSeq: i.itemSeq,
        productId: i.productId,
        sellerId: i.sellerId,
        price: i.price.toDecimalString(),
        freight: i.freight.toDecimalString(),
        shippingLimitAt: isoTime(i.shippingLimitAt),
      })),
      itemsTotal: this.itemsTotal.toDecimalString(),
      freightTotal: this.freightTotal.toDecimalString(),
      orderTotal: this.total.toDecimalString(),
    };
  }

  private paymentsPayload() {
    if (this.payments.length === 0) return null;
    return {
      orderId: this.id,
      payments: this.payments.map((p) => ({ sequential: p.sequential, type: p.type, installments: p.installments, value: p.value.toDecimalString() })),
      paymentsTotal: this.paymentsTotal.toDecimalString(),
    };
  }

  /** A delivered order with its items, delivery date and estimate; null until all are known. */
  private completedPayload() {
    const { deliveredCustomerAt, estimatedDeliveryAt } = this.header;
    if (this.status !== 'delivered' || this.items.length === 0 || !deliveredCustomerAt || !estimatedDeliveryAt) return null;
    return {
      orderId: this.id,
      customerId: this.header.customerId,
      deliveredAt: isoTime(deliveredCustomerAt),
      orderTotal: this.total.toDecimalString(),
      estimatedDeliveryAt: isoTime(estimatedDeliveryAt),
    };
  }

  private lastKnownTime(): Date {
    const { purchasedAt, approvedAt, deliveredCarrierAt, deliveredCustomerAt } = this.header;
    return [approvedAt, deliveredCarrierAt, deliveredCustomerAt].reduce<Date>((latest, t) => (t && t > latest ? t : latest), purchasedAt);
  }
}
