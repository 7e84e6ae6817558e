import type { SqlTx } from '@olist/messaging';
import { Order, type OrderItem, type OrderPayment, type OrderStatus, type PaymentType, sameItem, samePayment } from '@olist/sales-domain';
import { Money } from '@olist/shared-kernel';

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

/** Items and payments stored for an order that has not arrived yet. */
export interface WaitingLines {
  items: OrderItem[];
  payments: OrderPayment[];
}

/** What is stored for a set of order ids: the orders, and the lines of those that have not arrived. */
export interface StoredOrders {
  readonly orders: Map<string, Order>;
  readonly waiting: Map<string, WaitingLines>;
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
 * Reads and writes orders and their lines a whole batch at a time: one statement per table,
 * whatever the number of orders (json_to_recordset for multi-row upserts). Items and payments may
 * be stored before their order: they wait in the same tables, and only an order row makes them
 * count (every total is the order's).
 */
export class OrderStore {
  async load(tx: SqlTx, orderIds: readonly string[]): Promise<StoredOrders> {
    const stored: StoredOrders = { orders: new Map(), waiting: new Map() };
    if (orderIds.length === 0) return stored;
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
    for (const o of orders) {
      stored.orders.set(
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
      );
    }
    for (const id of new Set([...itemsOf.keys(), ...paymentsOf.keys()])) {
      if (!stored.orders.has(id)) stored.waiting.set(id, { items: itemsOf.get(id) ?? [], payments: paymentsOf.get(id) ?? [] });
    }
    return stored;
  }

  /**
   * Upserts the orders, and those of their items and payments that differ from the lines stored
   * before (`previous`: a stored order's lines, or the lines that waited for a new order; latest
   * value wins).
   */
  async save(tx: SqlTx, orders: readonly Order[], previous: ReadonlyMap<string, WaitingLines | Order> = new Map()): Promise<void> {
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
    await this.saveLines(
      tx,
      orders.flatMap((o) => newLines(o.items, previous.get(o.id)?.items, sameItem).map((item) => ({ orderId: o.id, item }))),
      orders.flatMap((o) => newLines(o.payments, previous.get(o.id)?.payments, samePayment).map((payment) => ({ orderId: o.id, payment }))),
    );
  }

  /**
   * Upserts items and payments, of stored orders or of orders still to come (latest value wins;
   * an unchanged line is not rewritten).
   */
  async saveLines(
    tx: SqlTx,
    items: readonly { orderId: string; item: OrderItem }[],
    payments: readonly { orderId: string; payment: OrderPayment }[],
  ): Promise<void> {
    if (items.length > 0) {
      await tx.query(
        `INSERT INTO sales.order_items SELECT * FROM json_to_recordset($1::json) AS r(${ITEM_COLUMNS})
         ON CONFLICT (order_id, item_seq) DO UPDATE SET product_id = EXCLUDED.product_id, seller_id = EXCLUDED.seller_id,
           shipping_limit_at = EXCLUDED.shipping_limit_at, price_centavos = EXCLUDED.price_centavos, freight_centavos = EXCLUDED.freight_centavos
         WHERE (order_items.product_id, order_items.seller_id, order_items.shipping_limit_at, order_items.price_centavos, order_items.freight_centavos)
               IS DISTINCT FROM (EXCLUDED.product_id, EXCLUDED.seller_id, EXCLUDED.shipping_limit_at, EXCLUDED.price_centavos, EXCLUDED.freight_centavos)`,
        [JSON.stringify(items.map((i) => itemRecord(i.orderId, i.item)))],
      );
    }
    if (payments.length > 0) {
      await tx.query(
        `INSERT INTO sales.order_payments SELECT * FROM json_to_recordset($1::json) AS r(${PAYMENT_COLUMNS})
         ON CONFLICT (order_id, sequential) DO UPDATE SET payment_type = EXCLUDED.payment_type, installments = EXCLUDED.installments,
           value_centavos = EXCLUDED.value_centavos
         WHERE (order_payments.payment_type, order_payments.installments, order_payments.value_centavos)
               IS DISTINCT FROM (EXCLUDED.payment_type, EXCLUDED.installments, EXCLUDED.value_centavos)`,
        [JSON.stringify(payments.map((p) => paymentRecord(p.orderId, p.payment)))],
      );
    }
  }
}
