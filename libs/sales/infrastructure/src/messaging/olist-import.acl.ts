import type { ImportOrderItemsV1, ImportOrderPaymentsV1, ImportOrdersV1 } from '@olist/quality-contracts';
import { IMPORT_SUBJECTS } from '@olist/quality-contracts';
import {
  checkItem,
  checkPayment,
  isPaymentType,
  OrderErrorCode,
  type OrderHeader,
  type OrderItem,
  type OrderPayment,
  parseOrderStatus,
} from '@olist/sales-domain';
import { type DomainError, Money, type Result, domainError, err, ok } from '@olist/shared-kernel';

/**
 * Anti-corruption layer between the raw feed (olist.import.{orders,order_items,order_payments}.v1:
 * every CSV column as text) and the Order aggregate: each row becomes a command in domain terms,
 * or a rejection that says which file, line and field was wrong.
 */

export const SALES_IMPORT_SUBJECTS = [IMPORT_SUBJECTS.orders, IMPORT_SUBJECTS.order_items, IMPORT_SUBJECTS.order_payments] as const;

export const SalesImportErrorCode = {
  MISSING_FIELD: 'SALES_IMPORT.MISSING_FIELD',
  INVALID_TIME: 'SALES_IMPORT.INVALID_TIME',
  INVALID_NUMBER: 'SALES_IMPORT.INVALID_NUMBER',
} as const;

/** Where a row came from. */
export interface RowSource {
  readonly loadId: string;
  readonly file: string;
  readonly line: number;
}

export type SalesImportCommand =
  | { readonly kind: 'record-order'; readonly orderId: string; readonly header: OrderHeader; readonly source: RowSource }
  | { readonly kind: 'record-item'; readonly orderId: string; readonly item: OrderItem; readonly source: RowSource }
  | { readonly kind: 'record-payment'; readonly orderId: string; readonly payment: OrderPayment; readonly source: RowSource };

export interface ImportRejection {
  readonly source: RowSource;
  readonly orderId: string | null;
  readonly code: string;
  readonly message: string;
}

export interface TranslatedBatch {
  readonly commands: SalesImportCommand[];
  readonly rejections: ImportRejection[];
}

type Values = Readonly<Record<string, string | null>>;

const TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z?$/;

/** `YYYY-MM-DD HH:MM:SS` as written in the files; the source has no zone, it is read as UTC. */
export function parseSourceTime(field: string, text: string | null): Result<Date | null, DomainError> {
  const value = text?.trim() ?? '';
  if (value === '') return ok(null);
  const m = TIME.exec(value);
  if (m) {
    const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
    const date = new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s));
    if (date.getUTCMonth() === (mo as number) - 1 && date.getUTCDate() === d && (h as number) < 24 && (mi as number) < 60 && (s as number) < 60) {
      return ok(date);
    }
  }
  return err(domainError(SalesImportErrorCode.INVALID_TIME, `${field} "${value}" is not a valid "YYYY-MM-DD HH:MM:SS" time`));
}

function required(values: Values, field: string): Result<string, DomainError> {
  const value = values[field]?.trim() ?? '';
  return value === '' ? err(domainError(SalesImportErrorCode.MISSING_FIELD, `${field} is empty`)) : ok(value);
}

function requiredTime(values: Values, field: string): Result<Date, DomainError> {
  const text = required(values, field);
  if (!text.ok) return text;
  return parseSourceTime(field, text.value) as Result<Date, DomainError>;
}

/** A whole number; re-saved copies write `3.0`. */
function wholeNumber(values: Values, field: string): Result<number, DomainError> {
  const text = required(values, field);
  if (!text.ok) return text;
  const m = /^(\d+)(?:\.0+)?$/.exec(text.value);
  if (!m || !Number.isSafeInteger(Number(m[1]))) {
    return err(domainError(SalesImportErrorCode.INVALID_NUMBER, `${field} "${text.value}" is not a whole number`));
  }
  return ok(Number(m[1]));
}

function money(values: Values, field: string): Result<Money, DomainError> {
  const text = required(values, field);
  if (!text.ok) return text;
  const parsed = Money.parse(text.value);
  return parsed.ok ? parsed : err(domainError(parsed.error.code, `${field}: ${parsed.error.message}`));
}

export function translateOrderRow(values: Values): Result<OrderHeader, DomainError> {
  const orderId = required(values, 'order_id');
  if (!orderId.ok) return orderId;
  const customerId = required(values, 'customer_id');
  if (!customerId.ok) return customerId;
  const status = parseOrderStatus(values['order_status'] ?? null);
  if (!status.ok) return status;
  const purchasedAt = requiredTime(values, 'order_purchase_timestamp');
  if (!purchasedAt.ok) return purchasedAt;
  const times: Record<string, Date | null> = {};
  for (const field of ['order_approved_at', 'order_delivered_carrier_date', 'order_delivered_customer_date', 'order_estimated_delivery_date']) {
    const time = parseSourceTime(field, values[field] ?? null);
    if (!time.ok) return time;
    times[field] = time.value;
  }
  return ok({
    orderId: orderId.value,
    customerId: customerId.value,
    status: status.value,
    purchasedAt: purchasedAt.value,
    approvedAt: times['order_approved_at'] ?? null,
    deliveredCarrierAt: times['order_delivered_carrier_date'] ?? null,
    deliveredCustomerAt: times['order_delivered_customer_date'] ?? null,
    estimatedDeliveryAt: times['order_estimated_delivery_date'] ?? null,
  });
}

export function translateItemRow(values: Values): Result<{ orderId: string; item: OrderItem }, DomainError> {
  const orderId = required(values, 'order_id');
  if (!orderId.ok) return orderId;
  const itemSeq = wholeNumber(values, 'order_item_id');
  if (!itemSeq.ok) return itemSeq;
  const productId = required(values, 'product_id');
  if (!productId.ok) return productId;
  const sellerId = required(values, 'seller_id');
  if (!sellerId.ok) return sellerId;
  const shippingLimitAt = requiredTime(values, 'shipping_limit_date');
  if (!shippingLimitAt.ok) return shippingLimitAt;
  const price = money(values, 'price');
  if (!price.ok) return price;
  const freight = money(values, 'freight_value');
  if (!freight.ok) return freight;
  const item = checkItem({
    itemSeq: itemSeq.value,
    productId: productId.value,
    sellerId: sellerId.value,
    price: price.value,
    freight: freight.value,
    shippingLimitAt: shippingLimitAt.value,
  });
  return item.ok ? ok({ orderId: orderId.value, item: item.value }) : item;
}

export function translatePaymentRow(values: Values): Result<{ orderId: string; payment: OrderPayment }, DomainError> {
  const orderId = required(values, 'order_id');
  if (!orderId.ok) return orderId;
  const sequential = wholeNumber(values, 'payment_sequential');
  if (!sequential.ok) return sequential;
  const type = required(values, 'payment_type');
  if (!type.ok) return type;
  if (!isPaymentType(type.value)) {
    return err(domainError(OrderErrorCode.UNKNOWN_PAYMENT_TYPE, `payment_type "${type.value}" is not a known payment type`));
  }
  const installments = wholeNumber(values, 'payment_installments');
  if (!installments.ok) return installments;
  const value = money(values, 'payment_value');
  if (!value.ok) return value;
  const payment = checkPayment({ sequential: sequential.value, type: type.value, installments: installments.value, value: value.value });
  return payment.ok ? ok({ orderId: orderId.value, payment: payment.value }) : payment;
}

/** Translates one raw-feed batch of a subject sales reads; batches of other subjects translate to nothing. */
export function translateImportBatch(subject: string, batch: ImportOrdersV1 | ImportOrderItemsV1 | ImportOrderPaymentsV1): TranslatedBatch {
  const commands: SalesImportCommand[] = [];
  const rejections: ImportRejection[] = [];
  for (const row of batch.rows) {
    const values = row.values as Values;
    const source: RowSource = { loadId: batch.loadId, file: batch.file, line: row.line };
    const reject = (error: DomainError) =>
      rejections.push({ source, orderId: values['order_id']?.trim() || null, code: error.code, message: `${batch.file} line ${row.line}: ${error.message}` });
    if (subject === IMPORT_SUBJECTS.orders) {
      const header = translateOrderRow(values);
      if (header.ok) commands.push({ kind: 'record-order', orderId: header.value.orderId, header: header.value, source });
      else reject(header.error);
    } else if (subject === IMPORT_SUBJECTS.order_items) {
      const item = translateItemRow(values);
      if (item.ok) commands.push({ kind: 'record-item', ...item.value, source });
      else reject(item.error);
    } else if (subject === IMPORT_SUBJECTS.order_payments) {
      const payment = translatePaymentRow(values);
      if (payment.ok) commands.push({ kind: 'record-payment', ...payment.value, source });
      else reject(payment.error);
    }
  }
  return { commands, rejections };
}
