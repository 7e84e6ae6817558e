import type { ClosedStatus, OrderStatus } from './order-status';
import type { PaymentType } from './order-line';

/** Payloads as published (money as decimal strings, times as ISO-8601); they match the sales contracts v1. */
export interface OrderPlacedPayload {
  orderId: string;
  customerId: string;
  status: OrderStatus;
  purchasedAt: string;
  items: { itemSeq: number; productId: string; sellerId: string; price: string; freight: string; shippingLimitAt: string }[];
  itemsTotal: string;
  freightTotal: string;
  orderTotal: string;
}

export interface OrderApprovedPayload {
  orderId: string;
  approvedAt: string;
}

export interface PaymentReceivedPayload {
  orderId: string;
  payments: { sequential: number; type: PaymentType; installments: number; value: string }[];
  paymentsTotal: string;
}

export interface OrderCancelledPayload {
  orderId: string;
  status: ClosedStatus;
  cancelledAt: string | null;
  reason: string;
}

export interface OrderCompletedPayload {
  orderId: string;
  customerId: string;
  deliveredAt: string;
  orderTotal: string;
  estimatedDeliveryAt: string;
}

/** A domain event of the Order aggregate; occurredAt is business time from the data. */
export type OrderEvent =
  | { readonly type: 'sales.order-placed'; readonly occurredAt: Date; readonly payload: OrderPlacedPayload }
  | { readonly type: 'sales.order-approved'; readonly occurredAt: Date; readonly payload: OrderApprovedPayload }
  | { readonly type: 'sales.payment-received'; readonly occurredAt: Date; readonly payload: PaymentReceivedPayload }
  | { readonly type: 'sales.order-cancelled'; readonly occurredAt: Date; readonly payload: OrderCancelledPayload }
  | { readonly type: 'sales.order-completed'; readonly occurredAt: Date; readonly payload: OrderCompletedPayload };

export type OrderEventType = OrderEvent['type'];
