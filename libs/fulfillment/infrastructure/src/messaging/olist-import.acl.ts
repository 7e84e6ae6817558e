import { Shipment } from '@olist/fulfillment-domain';
import { type PiiCipher, openSealedFields } from '@olist/pii';
import type { ImportCustomersV1, ImportGeolocationV1, ImportOrderItemsV1, ImportOrdersV1, ImportSellersV1 } from '@olist/quality-contracts';
import { IMPORT_SUBJECTS } from '@olist/quality-contracts';
import { type DomainError, type Result, UF, ZipPrefix, domainError, err, ok } from '@olist/shared-kernel';

/**
 * Anti-corruption layer between the raw feed (olist.import.<file>.v1: every CSV column as text)
 * and the fulfillment model. It reads the shipment dates of orders, the zip prefix and state of
 * customers (nothing else of a customer), the zip prefix of sellers, the sellers of order items
 * and the geolocation points. A customer's zip prefix arrives sealed (OLIST_FEED_KEYS) and is
 * unsealed here, in memory; the city is never unsealed. A row that cannot be read is refused with
 * its reason; the reason for a customer row never quotes its zip prefix.
 */

export const FULFILLMENT_IMPORT_SUBJECTS = [
  IMPORT_SUBJECTS.orders,
  IMPORT_SUBJECTS.customers,
  IMPORT_SUBJECTS.sellers,
  IMPORT_SUBJECTS.order_items,
  IMPORT_SUBJECTS.geolocation,
] as const;

export const FulfillmentImportErrorCode = {
  MISSING_FIELD: 'FULFILLMENT_IMPORT.MISSING_FIELD',
  INVALID_TIME: 'FULFILLMENT_IMPORT.INVALID_TIME',
  INVALID_NUMBER: 'FULFILLMENT_IMPORT.INVALID_NUMBER',
  SEALED_VALUE_UNREADABLE: 'FULFILLMENT_IMPORT.SEALED_VALUE_UNREADABLE',
} as const;

export interface ShipmentRow {
  readonly shipment: Shipment;
  readonly customerId: string;
  readonly orderStatus: string;
}
export interface CustomerZip {
  readonly customerId: string;
  readonly zipPrefix: string;
  readonly state: string;
}
export interface SellerZip {
  readonly sellerId: string;
  readonly zipPrefix: string;
}
export interface OrderSeller {
  readonly orderId: string;
  readonly sellerId: string;
  readonly itemSeq: number;
}
/** One geolocation row; the point is judged (inside Brazil, duplicate) set-based in SQL. */
export interface GeoRow {
  readonly zipPrefix: string;
  /** Decimal text as written: points are compared and summed exactly (numeric) in SQL. */
  readonly lat: string;
  readonly lng: string;
}
export interface GeoBatch {
  readonly loadId: string;
  readonly batch: number;
  readonly rows: GeoRow[];
  readonly received: number;
  unreadable: number;
}

export interface TranslatedBatch {
  readonly shipments: ShipmentRow[];
  readonly customers: CustomerZip[];
  readonly sellers: SellerZip[];
  readonly orderSellers: OrderSeller[];
  readonly geolocation: GeoBatch | null;
  readonly refused: ImportRefusal[];
}

export interface ImportRefusal {
  readonly loadId: string;
  readonly file: string;
  readonly line: number;
  readonly code: string;
  readonly message: string;
}

type Values = Readonly<Record<string, string | null>>;

const text = (values: Values, field: string) => values[field]?.trim() ?? '';

function required(values: Values, field: string): Result<string, DomainError> {
  const value = text(values, field);
  return value === '' ? err(domainError(FulfillmentImportErrorCode.MISSING_FIELD, `${field} is empty`)) : ok(value);
}

const TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?Z?$/;

/** `YYYY-MM-DD HH:MM:SS` as written in the files; the source has no zone, it is read as UTC. */
export function parseSourceTime(field: string, raw: string | null): Result<Date | null, DomainError> {
  const value = raw?.trim() ?? '';
  if (value === '') return ok(null);
  const m = TIME.exec(value);
  if (m) {
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
    const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
    if (date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 && s < 60) return ok(date);
  }
  return err(domainError(FulfillmentImportErrorCode.INVALID_TIME, `${field} "${value}" is not a valid "YYYY-MM-DD HH:MM:SS" time`));
}

export function translateOrderRow(values: Values): Result<ShipmentRow, DomainError> {
  const orderId = required(values, 'order_id');
  if (!orderId.ok) return orderId;
  const customerId = required(values, 'customer_id');
  if (!customerId.ok) return customerId;
  const orderStatus = required(values, 'order_status');
  if (!orderStatus.ok) return orderStatus;
  const times: (Date | null)[] = [];
  for (const field of ['order_purchase_timestamp', 'order_delivered_carrier_date', 'order_delivered_customer_date', 'order_estimated_delivery_date']) {
    const time = parseSourceTime(field, values[field] ?? null);
    if (!time.ok) return time;
    times.push(time.value);
  }
  const [purchasedAt, carrierPickupAt, deliveredAt, estimatedDeliveryAt] = times as [Date | null, Date | null, Date | null, Date | null];
  const status = orderStatus.value.toLowerCase();
  const shipment = Shipment.record({ orderId: orderId.value, orderStatus: status, purchasedAt, carrierPickupAt, deliveredAt, estimatedDeliveryAt });
  return ok({ shipment, customerId: customerId.value, orderStatus: status });
}

/** A customer row with its zip prefix sealed as on the feed; `feed` unseals it. */
export function translateCustomerRow(values: Values, feed: PiiCipher): Result<CustomerZip, DomainError> {
  const customerId = required(values, 'customer_id');
  if (!customerId.ok) return customerId;
  const opened = openSealedFields(feed, values, ['customer_zip_code_prefix']);
  if (!opened.ok) return err(domainError(FulfillmentImportErrorCode.SEALED_VALUE_UNREADABLE, opened.reason));
  const zip = ZipPrefix.parse(opened.values['customer_zip_code_prefix'] ?? '');
  if (!zip.ok) return zip;
  const state = UF.parse(values['customer_state'] ?? '');
  if (!state.ok) return state;
  return ok({ customerId: customerId.value, zipPrefix: zip.value.value, state: state.value });
}

export function translateSellerRow(values: Values): Result<SellerZip, DomainError> {
  const sellerId = required(values, 'seller_id');
  if (!sellerId.ok) return sellerId;
  const zip = ZipPrefix.parse(values['seller_zip_code_prefix'] ?? '');
  return zip.ok ? ok({ sellerId: sellerId.value, zipPrefix: zip.value.value }) : zip;
}

export function translateItemRow(values: Values): Result<OrderSeller, DomainError> {
  const orderId = required(values, 'order_id');
  if (!orderId.ok) return orderId;
  const sellerId = required(values, 'seller_id');
  if (!sellerId.ok) return sellerId;
  const seq = text(values, 'order_item_id');
  if (!/^\d+$/.test(seq)) return err(domainError(FulfillmentImportErrorCode.INVALID_NUMBER, `order_item_id "${seq}" is not a whole number`));
  return ok({ orderId: orderId.value, sellerId: sellerId.value, itemSeq: Number(seq) });
}

const COORDINATE = /^-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?$/;

export function translateGeolocationRow(values: Values): Result<GeoRow, DomainError> {
  const zip = ZipPrefix.parse(values['geolocation_zip_code_prefix'] ?? '');
  if (!zip.ok) return zip;
  const lat = text(values, 'geolocation_lat');
  const lng = text(values, 'geolocation_lng');
  if (!COORDINATE.test(lat) || !COORDINATE.test(lng) || Math.abs(Number(lat)) > 90 || Math.abs(Number(lng)) > 180) {
    return err(domainError(FulfillmentImportErrorCode.INVALID_NUMBER, `coordinates (${lat}, ${lng}) are not a point`));
  }
  return ok({ zipPrefix: zip.value.value, lat, lng });
}

type Batch = ImportOrdersV1 | ImportCustomersV1 | ImportSellersV1 | ImportOrderItemsV1 | ImportGeolocationV1;

/** Translates one raw-feed batch of a subject fulfillment reads (`feed` unseals customers' zip prefixes); batches of other subjects translate to nothing. */
export function translateImportBatch(subject: string, batch: Batch, feed: PiiCipher): TranslatedBatch {
  const out: TranslatedBatch = { shipments: [], customers: [], sellers: [], orderSellers: [], geolocation: null, refused: [] };
  const geo: GeoBatch | null = subject === IMPORT_SUBJECTS.geolocation ? { loadId: batch.loadId, batch: batch.batch, rows: [], received: batch.rows.length, unreadable: 0 } : null;
  for (const row of batch.rows) {
    const values = row.values as Values;
    const refuse = (e: DomainError) => {
      // A customer's zip prefix is personal: only the sealing failure (which quotes no value) is described.
      const personal = subject === IMPORT_SUBJECTS.customers && e.code !== FulfillmentImportErrorCode.SEALED_VALUE_UNREADABLE && e.code !== FulfillmentImportErrorCode.MISSING_FIELD;
      const reason = personal ? `refused (${e.code})` : e.message;
      out.refused.push({ loadId: batch.loadId, file: batch.file, line: row.line, code: e.code, message: `${batch.file} line ${row.line}: ${reason}` });
    };
    if (subject === IMPORT_SUBJECTS.orders) {
      const r = translateOrderRow(values);
      if (r.ok) out.shipments.push(r.value);
      else refuse(r.error);
    } else if (subject === IMPORT_SUBJECTS.customers) {
      const r = translateCustomerRow(values, feed);
      if (r.ok) out.customers.push(r.value);
      else refuse(r.error);
    } else if (subject === IMPORT_SUBJECTS.sellers) {
      const r = translateSellerRow(values);
      if (r.ok) out.sellers.push(r.value);
      else refuse(r.error);
    } else if (subject === IMPORT_SUBJECTS.order_items) {
      const r = translateItemRow(values);
      if (r.ok) out.orderSellers.push(r.value);
      else refuse(r.error);
    } else if (geo) {
      const r = translateGeolocationRow(values);
      if (r.ok) geo.rows.push(r.value);
      else {
        geo.unreadable++;
        refuse(r.error);
      }
    }
  }
  return { ...out, geolocation: geo };
}
