import { type DomainError, type Money, type Result, domainError, err, ok } from '@olist/shared-kernel';
import { OrderErrorCode } from './order.errors';

/** One item of an order (a row of the items file): order_item_id is its sequence. */
export interface OrderItem {
  readonly itemSeq: number;
  readonly productId: string;
  readonly sellerId: string;
  readonly price: Money;
  readonly freight: Money;
  readonly shippingLimitAt: Date;
}

export const PAYMENT_TYPES = ['credit_card', 'boleto', 'voucher', 'debit_card', 'not_defined'] as const;
export type PaymentType = (typeof PAYMENT_TYPES)[number];

export interface OrderPayment {
  readonly sequential: number;
  readonly type: PaymentType;
  /** 0 occurs in the source data and is kept. */
  readonly installments: number;
  readonly value: Money;
}

export function isPaymentType(value: string): value is PaymentType {
  return (PAYMENT_TYPES as readonly string[]).includes(value);
}

export function checkItem(item: OrderItem): Result<OrderItem, DomainError> {
  if (!Number.isSafeInteger(item.itemSeq) || item.itemSeq < 1) {
    return err(domainError(OrderErrorCode.INVALID_SEQUENCE, `item sequence ${item.itemSeq} is not a positive whole number`));
  }
  if (item.price.isNegative() || item.freight.isNegative()) {
    return err(domainError(OrderErrorCode.NEGATIVE_AMOUNT, `item ${item.itemSeq} has a negative price or freight`));
  }
  return ok(item);
}

export function checkPayment(payment: OrderPayment): Result<OrderPayment, DomainError> {
  if (!Number.isSafeInteger(payment.sequential) || payment.sequential < 1) {
    return err(domainError(OrderErrorCode.INVALID_SEQUENCE, `payment sequential ${payment.sequential} is not a positive whole number`));
  }
  if (!isPaymentType(payment.type)) {
    return err(domainError(OrderErrorCode.UNKNOWN_PAYMENT_TYPE, `payment type "${String(payment.type)}" is unknown`));
  }
  if (!Number.isSafeInteger(payment.installments) || payment.installments < 0) {
    return err(domainError(OrderErrorCode.INVALID_INSTALLMENTS, `payment ${payment.sequential} has ${payment.installments} installments`));
  }
  if (payment.value.isNegative()) {
    return err(domainError(OrderErrorCode.NEGATIVE_AMOUNT, `payment ${payment.sequential} has a negative value`));
  }
  return ok(payment);
}

export const sameItem = (a: OrderItem, b: OrderItem): boolean =>
  a.itemSeq === b.itemSeq &&
  a.productId === b.productId &&
  a.sellerId === b.sellerId &&
  a.price.equals(b.price) &&
  a.freight.equals(b.freight) &&
  a.shippingLimitAt.getTime() === b.shippingLimitAt.getTime();

export const samePayment = (a: OrderPayment, b: OrderPayment): boolean =>
  a.sequential === b.sequential && a.type === b.type && a.installments === b.installments && a.value.equals(b.value);
