import type { SqlTx } from '@olist/messaging';
import { Order, type OrderItem, type OrderPayment, type OrderStatus, type PaymentType, sameItem, samePayment } from '@olist/sales-domain';
import { Money } from '@olist/shared-kernel';
import type { RowSource } from '../messaging/olist-import.acl';

interface OrderRow {
  order_id: string;
  customer_id: string;
  status: OrderStatus;
  purchased_at: Date;
  approved_at: Date | null;
  delivered_carrier_at: Date | null;
  delivered_customer_at: Date | null;
  estimated_delivery_at: Date | null;
}

interface ItemRow {
  order_id: string;
  item_seq: number;
  product_id: string;
  seller_id: string;
  shipping_limit_at: Date;
  price_centavos: string;
  freight_centavos: string;
}

interface PaymentRow {
  order_id: string;
  sequential: number;
  payment_type: PaymentType;
  installments: number;
  value_centavos: string;
}

export interface PendingLines {
  items: OrderItem[];
  payments: OrderPayment[];
}

export interface PendingItem {
  readonly orderId: string;
  readonly item: OrderItem;
  readonly source: RowSource;
}

export interface PendingPayment {
  readonly orderId: string;
  readonly payment: OrderPayment;
  readonly source: RowSource;
}

const toItem = (r: ItemRow): OrderItem => ({
  itemSeq: r.item_seq,
  productId: r.product_id,
  sellerId: r.seller_id,
  shippingLimitAt: new Date(r.shipping_limit_at),
  price: Money.ofCentavos(Number(r.price_centavos)),
  freight: Money.ofCentavos(Number(r.freight_centavos)),
});

const toPayment = (r: PaymentRow): OrderPayment => ({
  sequential: r.sequential,
  type: r.payment_type,
  installments: r.installments,
  value: Money.ofCentavos(Number(r.value_centavos)),
});

const time = (d: Date | null) => (d ? new Date(d) : null);

function groupBy<T extends { order_id: string }, U>(rows: readonly T[], map: (row: T) => U): Map<string, U[]> {
  const groups = new Map<string, U[]>();
  for (const row of rows) {
    const group = groups.get(row.order_id);
    if (group) group.push(map(row));
    else groups.set(row.order_id, [map(row)]);
  }
  return groups;
}

const ITEM_COLUMNS = `order_id text, item_seq int, product_id text, seller_id text, shipping_limit_at timestamptz, price_centavos bigint, freight_centavos bigint`;
const PAYMENT_COLUMNS = `order_id text, sequential int, payment_type text, installments int, value_centavos bigint`;

const itemRecord = (orderId: string, i: OrderItem) => ({
  order_id: orderId,
  item_seq: i.itemSeq,
  product_id: i.productId,
  seller_id: i.sellerId,
  shipping_limit_at: i.shippingLimitAt.toISOString(),
  price_centavos: i.price.centavos,
  freight_centavos: i.freight.centavos,
});

const paymentRecord = (orderId: string, p: OrderPayment) => ({
  order_id: orderId,
  sequential: p.sequential,
  payment_type: p.type,
  installments: p.installments,
  value_centavos: p.value.centavos,
});

/**
 * Reads and writes orders, their lines and the pending area a whole batch at a time: one statement
 * per table, whatever the number of orders (json_to_recordset for multi-row upserts).
 */
export class OrderStore {
  async load(tx: SqlTx, orderIds: readonly string[]): Promise<Map<string, Order>> {
    if (orderIds.length === 0) return new Map();
    const ids = [...orderIds];
    const [orders, items, payments] = [
      await tx.query<OrderRow>(
        `SELECT order_id, customer_id, status, purchased_at, approved_at, delivered_carrier_at, delivered_customer_at, estimated_delivery_at
           FROM sales.orders WHERE order_id = ANY($1::text[])`,
        [ids],
      ),
      await tx.query<ItemRow>(`SELECT * FROM sales.order_items WHERE order_id = ANY($1::text[])`, [ids]),
      await tx.query<PaymentRow>(`SELECT * FROM sales.order_payments WHERE order_id = ANY($1::text[])`, [ids]),
    ];
    const itemsOf = groupBy(items, toItem);
    const paymentsOf = groupBy(payments, toPayment);
    return new Map(
      orders.map((o) => [
        o.order_id,
        Order.reconstitute(
          {
            orderId: o.order_id,
            customerId: o.customer_id,
            status: o.status,
            purchasedAt: new Date(o.purchased_at),
            approvedAt: time(o.approved_at),
            deliveredCarrierAt: time(o.delivered_carrier_at),
            deliveredCustomerAt: time(o.delivered_customer_at),
            estimatedDeliveryAt: time(o.estimated_delivery_at),
          },
          itemsOf.get(o.order_id) ?? [],
          paymentsOf.get(o.order_id) ?? [],
        ),
      ]),
    );
  }

  async loadPending(tx: SqlTx, orderIds: readonly string[]): Promise<Map<string, PendingLines>> {
    const pending = new Map<string, PendingLines>();
    if (orderIds.length === 0) return pending;
    const ids = [...orderIds];
    const items = await tx.query<ItemRow>(`SELECT * FROM sales.pending_items WHERE order_id = ANY($1::text[])`, [ids]);
    const payments = await tx.query<PaymentRow>(`SELECT * FROM sales.pending_payments WHERE order_id = ANY($1::text[])`, [ids]);
    const entry = (id: string) => pending.get(id) ?? (pending.set(id, { items: [], payments: [] }).get(id) as PendingLines);
    for (const r of items) entry(r.order_id).items.push(toItem(r));
    for (const r of payments) entry(r.order_id).payments.push(toPayment(r));
    return pending;
  }

  /**
   * Upserts the orders and those of their items and payments that differ from `previous` (the
   * orders as loaded; latest value wins).
   */
  async save(tx: SqlTx, orders: readonly Order[], previous: ReadonlyMap<string, Order> = new Map()): Promise<void> {
    if (orders.length === 0) return;
    const records = orders.map((o) => ({
      order_id: o.id,
      customer_id: o.header.customerId,
      status: o.status,
      purchased_at: o.header.purchasedAt.toISOString(),
      approved_at: o.header.approvedAt?.toISOString() ?? null,
      delivered_carrier_at: o.header.deliveredCarrierAt?.toISOString() ?? null,
      delivered_customer_at: o.header.deliveredCustomerAt?.toISOString() ?? null,
      estimated_delivery_at: o.header.estimatedDeliveryAt?.toISOString() ?? null,
      item_count: o.items.length,
      payment_count: o.payments.length,
      items_total_centavos: o.itemsTotal.centavos,
      freight_total_centavos: o.freightTotal.centavos,
      order_total_centavos: o.total.centavos,
      payments_total_centavos: o.paymentsTotal.centavos,
      payment_difference_centavos: o.paymentDifference.centavos,
      issues: o.issues,
    }));
    await tx.query(
      `INSERT INTO sales.orders (order_id, customer_id, status, purchased_at, approved_at, delivered_carrier_at, delivered_customer_at,
              estimated_delivery_at, item_count, payment_count, items_total_centavos, freight_total_centavos, order_total_centavos,
              payments_total_centavos, payment_difference_centavos, issues)
       SELECT * FROM json_to_recordset($1::json) AS r(order_id text, customer_id text, status text, purchased_at timestamptz,
              approved_at timestamptz, delivered_carrier_at timestamptz, delivered_customer_at timestamptz, estimated_delivery_at timestamptz,
              item_count int, payment_count int, items_total_centavos bigint, freight_total_centavos bigint, order_total_centavos bigint,
              payments_total_centavos bigint, payment_difference_centavos bigint, issues jsonb)
       ON CONFLICT (order_id) DO UPDATE SET
         customer_id = EXCLUDED.customer_id, status = EXCLUDED.status, purchased_at = EXCLUDED.purchased_at,
         approved_at = EXCLUDED.approved_at, delivered_carrier_at = EXCLUDED.delivered_carrier_at,
         delivered_customer_at = EXCLUDED.delivered_customer_at, estimated_delivery_at = EXCLUDED.estimated_delivery_at,
         item_count = EXCLUDED.item_count, payment_count = EXCLUDED.payment_count,
         items_total_centavos = EXCLUDED.items_total_centavos, freight_total_centavos = EXCLUDED.freight_total_centavos,
         order_total_centavos = EXCLUDED.order_total_centavos, payments_total_centavos = EXCLUDED.payments_total_centavos,
         payment_difference_centavos = EXCLUDED.payment_difference_centavos, issues = EXCLUDED.issues, updated_at = now()`,
      [JSON.stringify(records)],
    );
    const newLines = <T>(lines: readonly T[], before: readonly T[] | undefined, same: (a: T, b: T) => boolean) =>
      before ? lines.filter((line) => !before.some((old) => same(old, line))) : lines;
    const items = orders.flatMap((o) => newLines(o.items, previous.get(o.id)?.items, sameItem).map((i) => itemRecord(o.id, i)));
    if (items.length > 0) {
      await tx.query(
        `INSERT INTO sales.order_items SELECT * FROM json_to_recordset($1::json) AS r(${ITEM_COLUMNS})
         ON CONFLICT (order_id, item_seq) DO UPDATE SET product_id = EXCLUDED.product_id, seller_id = EXCLUDED.seller_id,
           shipping_limit_at = EXCLUDED.shipping_limit_at, price_centavos = EXCLUDED.price_centavos, freight_centavos = EXCLUDED.freight_centavos
         WHERE (order_items.product_id, order_items.seller_id, order_items.shipping_limit_at, order_items.price_centavos, order_items.freight_centavos)
               IS DISTINCT FROM (EXCLUDED.product_id, EXCLUDED.seller_id, EXCLUDED.shipping_limit_at, EXCLUDED.price_centavos, EXCLUDED.freight_centavos)`,
        [JSON.stringify(items)],
      );
    }
    const payments = orders.flatMap((o) => newLines(o.payments, previous.get(o.id)?.payments, samePayment).map((p) => paymentRecord(o.id, p)));
    if (payments.length > 0) {
      await tx.query(
        `INSERT INTO sales.order_payments SELECT * FROM json_to_recordset($1::json) AS r(${PAYMENT_COLUMNS})
         ON CONFLICT (order_id, sequential) DO UPDATE SET payment_type = EXCLUDED.payment_type, installments = EXCLUDED.installments,
           value_centavos = EXCLUDED.value_centavos
         WHERE (order_payments.payment_type, order_payments.installments, order_payments.value_centavos)
               IS DISTINCT FROM (EXCLUDED.payment_type, EXCLUDED.installments, EXCLUDED.value_centavos)`,
        [JSON.stringify(payments)],
      );
    }
  }

  /** Keeps items and payments whose order has not arrived (latest value wins; an unchanged row is not rewritten). */
  async hold(tx: SqlTx, items: readonly PendingItem[], payments: readonly PendingPayment[]): Promise<void> {
    if (items.length > 0) {
      const records = items.map((p) => ({ ...itemRecord(p.orderId, p.item), load_id: p.source.loadId, line: p.source.line }));
      await tx.query(
        `INSERT INTO sales.pending_items (order_id, item_seq, product_id, seller_id, shipping_limit_at, price_centavos, freight_centavos, load_id, line)
         SELECT * FROM json_to_recordset($1::json) AS r(${ITEM_COLUMNS}, load_id text, line int)
         ON CONFLICT (order_id, item_seq) DO UPDATE SET product_id = EXCLUDED.product_id, seller_id = EXCLUDED.seller_id,
           shipping_limit_at = EXCLUDED.shipping_limit_at, price_centavos = EXCLUDED.price_centavos, freight_centavos = EXCLUDED.freight_centavos,
           load_id = EXCLUDED.load_id, line = EXCLUDED.line, received_at = now()
         WHERE (pending_items.product_id, pending_items.seller_id, pending_items.shipping_limit_at, pending_items.price_centavos, pending_items.freight_centavos)
               IS DISTINCT FROM (EXCLUDED.product_id, EXCLUDED.seller_id, EXCLUDED.shipping_limit_at, EXCLUDED.price_centavos, EXCLUDED.freight_centavos)`,
        [JSON.stringify(records)],
      );
    }
    if (payments.length > 0) {
      const records = payments.map((p) => ({ ...paymentRecord(p.orderId, p.payment), load_id: p.source.loadId, line: p.source.line }));
      await tx.query(
        `INSERT INTO sales.pending_payments (order_id, sequential, payment_type, installments, value_centavos, load_id, line)
         SELECT * FROM json_to_recordset($1::json) AS r(${PAYMENT_COLUMNS}, load_id text, line int)
         ON CONFLICT (order_id, sequential) DO UPDATE SET payment_type = EXCLUDED.payment_type, installments = EXCLUDED.installments,
           value_centavos = EXCLUDED.value_centavos, load_id = EXCLUDED.load_id, line = EXCLUDED.line, received_at = now()
         WHERE (pending_payments.payment_type, pending_payments.installments, pending_payments.value_centavos)
               IS DISTINCT FROM (EXCLUDED.payment_type, EXCLUDED.installments, EXCLUDED.value_centavos)`,
        [JSON.stringify(records)],
      );
    }
  }

  /** Removes the pending lines of orders that now exist. */
  async release(tx: SqlTx, orderIds: readonly string[]): Promise<void> {
    if (orderIds.length === 0) return;
    await tx.query(`DELETE FROM sales.pending_items WHERE order_id = ANY($1::text[])`, [[...orderIds]]);
    await tx.query(`DELETE FROM sales.pending_payments WHERE order_id = ANY($1::text[])`, [[...orderIds]]);
  }
}
