import { Money } from '@olist/shared-kernel';

/** Anything that runs SQL: a DataSource, a transaction. */
export interface SqlRunner {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface OrderSummaryView {
  orderId: string;
  customerId: string;
  status: string;
  purchasedAt: string;
  approvedAt: string | null;
  deliveredCarrierAt: string | null;
  deliveredCustomerAt: string | null;
  estimatedDeliveryAt: string | null;
  itemsTotal: string;
  freightTotal: string;
  orderTotal: string;
  paymentsTotal: string;
  paymentDifference: string;
  issues: { code: string; message: string }[];
}

export interface OrderView extends OrderSummaryView {
  items: { itemSeq: number; productId: string; sellerId: string; price: string; freight: string; shippingLimitAt: string }[];
  payments: { sequential: number; type: string; installments: number; value: string }[];
}

const decimal = (centavos: string | number) => Money.ofCentavos(Number(centavos)).toDecimalString();
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

interface OrderRow {
  order_id: string;
  customer_id: string;
  status: string;
  purchased_at: Date;
  approved_at: Date | null;
  delivered_carrier_at: Date | null;
  delivered_customer_at: Date | null;
  estimated_delivery_at: Date | null;
  items_total_centavos: string;
  freight_total_centavos: string;
  order_total_centavos: string;
  payments_total_centavos: string;
  payment_difference_centavos: string;
  issues: { code: string; message: string }[];
}

const summary = (r: OrderRow): OrderSummaryView => ({
  orderId: r.order_id,
  customerId: r.customer_id,
  status: r.status,
  purchasedAt: iso(r.purchased_at) as string,
  approvedAt: iso(r.approved_at),
  deliveredCarrierAt: iso(r.delivered_carrier_at),
  deliveredCustomerAt: iso(r.delivered_customer_at),
  estimatedDeliveryAt: iso(r.estimated_delivery_at),
  itemsTotal: decimal(r.items_total_centavos),
  freightTotal: decimal(r.freight_total_centavos),
  orderTotal: decimal(r.order_total_centavos),
  paymentsTotal: decimal(r.payments_total_centavos),
  paymentDifference: decimal(r.payment_difference_centavos),
  issues: r.issues,
});

/** The read side of the sales model: orders with money as decimal strings and times as ISO-8601. */
export class OrderQueries {
  constructor(private readonly db: SqlRunner) {}

  async order(orderId: string): Promise<OrderView | null> {
    const [row] = await this.db.query<OrderRow>(`SELECT * FROM sales.orders WHERE order_id = $1`, [orderId]);
    if (!row) return null;
    const items = await this.db.query<{ item_seq: number; product_id: string; seller_id: string; price_centavos: string; freight_centavos: string; shipping_limit_at: Date }>(
      `SELECT * FROM sales.order_items WHERE order_id = $1 ORDER BY item_seq`,
      [orderId],
    );
    const payments = await this.db.query<{ sequential: number; payment_type: string; installments: number; value_centavos: string }>(
      `SELECT * FROM sales.order_payments WHERE order_id = $1 ORDER BY sequential`,
      [orderId],
    );
    return {
      ...summary(row),
      items: items.map((i) => ({
        itemSeq: i.item_seq,
        productId: i.product_id,
        sellerId: i.seller_id,
        price: decimal(i.price_centavos),
        freight: decimal(i.freight_centavos),
        shippingLimitAt: iso(i.shipping_limit_at) as string,
      })),
      payments: payments.map((p) => ({ sequential: p.sequential, type: p.payment_type, installments: p.installments, value: decimal(p.value_centavos) })),
    };
  }

  /** A customer id's orders, newest first (at most `limit`). */
  async customerOrders(customerId: string, limit = 100): Promise<OrderSummaryView[]> {
    const rows = await this.db.query<OrderRow>(`SELECT * FROM sales.orders WHERE customer_id = $1 ORDER BY purchased_at DESC LIMIT $2`, [
      customerId,
      Math.min(Math.max(limit, 1), 1000),
    ]);
    return rows.map(summary);
  }

  /**
   * The sales side of the warehouse reconciliation, over the orders the context has placed (those
   * with at least one item — the others were never placed): counts, and money as decimal strings.
   */
  async totals(): Promise<SalesTotalsView> {
    const [row] = await this.db.query<Record<string, string>>(`
      SELECT count(*)::int AS orders, coalesce(sum(item_count), 0)::int AS items,
             coalesce(sum(items_total_centavos), 0)::text AS price, coalesce(sum(freight_total_centavos), 0)::text AS freight,
             coalesce(sum(payments_total_centavos), 0)::text AS payments,
             count(*) FILTER (WHERE status = 'delivered' AND delivered_customer_at IS NOT NULL AND estimated_delivery_at IS NOT NULL)::int AS delivered
        FROM sales.orders WHERE item_count > 0`);
    const r = row ?? {};
    return {
      orders: Number(r['orders'] ?? 0),
      items: Number(r['items'] ?? 0),
      price: decimal(r['price'] ?? 0),
      freight: decimal(r['freight'] ?? 0),
      gmv: decimal(Number(r['price'] ?? 0) + Number(r['freight'] ?? 0)),
      payments: decimal(r['payments'] ?? 0),
      delivered: Number(r['delivered'] ?? 0),
    };
  }
}

export interface SalesTotalsView {
  orders: number;
  items: number;
  price: string;
  freight: string;
  gmv: string;
  payments: string;
  /** Delivered orders with a delivery and an estimated date. */
  delivered: number;
}
