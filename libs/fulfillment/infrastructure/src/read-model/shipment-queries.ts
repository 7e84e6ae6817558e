/** Anything that runs SQL: a DataSource, a transaction. */
export interface SqlRunner {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface ShipmentView {
  orderId: string;
  status: string;
  purchasedAt: string | null;
  carrierPickupAt: string | null;
  deliveredAt: string | null;
  estimatedDeliveryAt: string | null;
  delayDays: number | null;
  late: boolean | null;
  deliveryDays: number | null;
  customerState: string | null;
  sellerIds: string[];
  distanceKm: number | null;
  anomalies: string[];
}

/** Delivery SLA of one customer state, over shipments delivered with a delivery and an estimated date. */
export interface StateSlaView {
  state: string;
  delivered: number;
  late: number;
  lateRate: number;
  avgDeliveryDays: number | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

interface ShipmentRow {
  order_id: string;
  status: string;
  purchased_at: Date | null;
  carrier_pickup_at: Date | null;
  delivered_at: Date | null;
  estimated_delivery_at: Date | null;
  delay_days: number | null;
  late: boolean | null;
  delivery_days: string | null;
  customer_state: string | null;
  seller_ids: string[];
  distance_km: number | null;
  anomalies: string[];
}

/** Read side of the fulfillment context. */
export class ShipmentQueries {
  constructor(private readonly db: SqlRunner) {}

  async shipment(orderId: string): Promise<ShipmentView | null> {
    const [r] = await this.db.query<ShipmentRow>(
      `SELECT s.order_id, s.status, s.purchased_at, s.carrier_pickup_at, s.delivered_at, s.estimated_delivery_at, s.delay_days, s.late,
              s.delivery_days::text AS delivery_days, s.customer_state, s.distance_km, s.anomalies,
              ARRAY(SELECT os.seller_id FROM fulfillment.order_sellers os WHERE os.order_id = s.order_id ORDER BY os.first_item, os.seller_id) AS seller_ids
         FROM fulfillment.shipments s WHERE s.order_id = $1`,
      [orderId],
    );
    if (!r) return null;
    return {
      orderId: r.order_id,
      status: r.status,
      purchasedAt: iso(r.purchased_at),
      carrierPickupAt: iso(r.carrier_pickup_at),
      deliveredAt: iso(r.delivered_at),
      estimatedDeliveryAt: iso(r.estimated_delivery_at),
      delayDays: r.delay_days,
      late: r.late,
      deliveryDays: r.delivery_days === null ? null : Number(r.delivery_days),
      customerState: r.customer_state,
      sellerIds: r.seller_ids,
      distanceKm: r.distance_km,
      anomalies: r.anomalies,
    };
  }

  /** Per customer state: delivered shipments (delivery and estimated dates known), late ones, their rate, mean purchase → delivery days. */
  async slaByState(): Promise<StateSlaView[]> {
    const rows = await this.db.query<{ state: string; delivered: number; late: number; avg_days: string | null }>(
      `SELECT customer_state AS state, count(*)::int AS delivered, count(*) FILTER (WHERE late)::int AS late,
              round(avg(delivery_days), 2)::text AS avg_days
         FROM fulfillment.shipments
        WHERE late IS NOT NULL AND customer_state IS NOT NULL
        GROUP BY customer_state ORDER BY customer_state`,
    );
    return rows.map((r) => ({
      state: r.state,
      delivered: r.delivered,
      late: r.late,
      lateRate: Math.round((r.late / r.delivered) * 10_000) / 10_000,
      avgDeliveryDays: r.avg_days === null ? null : Number(r.avg_days),
    }));
  }
}
