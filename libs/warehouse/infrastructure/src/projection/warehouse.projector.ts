import type { CustomerErasedV1, CustomerRegisteredV1, CustomerSegmentChangedV1, ReviewSubmittedV1 } from '@olist/customer-contracts';
import { CUSTOMER_SUBJECTS } from '@olist/customer-contracts';
import type { DeliveryCompletedV1, DeliveryDelayedV1, ShipmentDispatchedV1, ShipmentDistanceChangedV1 } from '@olist/fulfillment-contracts';
import { FULFILLMENT_SUBJECTS } from '@olist/fulfillment-contracts';
import type { CategoryTranslatedV1, ProductListedV1, ProductRecategorizedV1, SellerRegisteredV1 } from '@olist/marketplace-contracts';
import { MARKETPLACE_SUBJECTS } from '@olist/marketplace-contracts';
import { type EventEnvelope, type InboundMessage, pgArray, type SqlTx } from '@olist/messaging';
import type { ImportGeolocationV1, LoadCheckedV1 } from '@olist/quality-contracts';
import { IMPORT_SUBJECTS, QUALITY_SUBJECTS } from '@olist/quality-contracts';
import type { OrderApprovedV1, OrderCancelledV1, OrderCompletedV1, OrderPlacedV1, PaymentReceivedV1 } from '@olist/sales-contracts';
import { SALES_SUBJECTS } from '@olist/sales-contracts';
import { translateGeolocationRows, type GeolocationPoint } from './geolocation.acl';

/** What one call of the projector did. */
export interface ProjectionOutcome {
  readonly events: number;
  /** Messages of subjects the warehouse does not project (a newer contract, another feed). */
  readonly ignored: number;
  readonly geolocationPoints: number;
  readonly geolocationRefused: number;
}

/**
 * Rows keyed by their natural key: when one batch carries several events for the same row, the
 * one that came later in the stream wins (SCD1), and one statement never touches a row twice.
 */
class Latest<T> {
  private readonly rows = new Map<string, T>();
  put(key: string, row: T): void {
    this.rows.delete(key);
    this.rows.set(key, row);
  }
  get size(): number {
    return this.rows.size;
  }
  get(key: string): T | undefined {
    return this.rows.get(key);
  }
  values(): T[] {
    return [...this.rows.values()];
  }
  json(): string {
    return JSON.stringify(this.values());
  }
}

/**
 * The data set's timestamps are local wall-clock times that the contexts carry as UTC instants;
 * the warehouse stores them back as `timestamp` without zone, so months and days are the data's.
 */
const ts = (column: string) => `(${column}::timestamptz AT TIME ZONE 'UTC')`;
const dateKey = (column: string) => `to_char(${ts(column)}, 'YYYYMMDD')::int`;

/** The latest event of each type a batch has for one order (each writes its own column group). */
interface OrderEvents {
  placed?: OrderPlacedV1;
  approved?: OrderApprovedV1;
  paid?: PaymentReceivedV1;
  cancelled?: OrderCancelledV1;
  completed?: OrderCompletedV1;
}

/** The latest event of each type a batch has for one shipment. */
interface DeliveryEvents {
  dispatched?: ShipmentDispatchedV1;
  delivered?: DeliveryCompletedV1;
  delayed?: DeliveryDelayedV1;
}

/** The events of each order that the batch has, by order. */
function byOrder<E extends object>(groups: { [K in keyof E]: Latest<E[K] & { orderId: string }> }): Map<string, E> {
  const orders = new Map<string, E>();
  for (const group of Object.keys(groups) as (keyof E)[]) {
    for (const payload of groups[group].values()) {
      let events = orders.get(payload.orderId);
      if (!events) orders.set(payload.orderId, (events = {} as E));
      events[group] = payload;
    }
  }
  return orders;
}

/**
 * One proposed fact_orders row per order, merging its event types' column groups. A group the
 * batch has no event of is left out (NULL), and its marker column tells the upsert so: a column
 * that the group's event always sets (its contract requires it, and producers validate every
 * event against its contract): purchased_at for placed, approved_at for approved, payments_count
 * for paid, cancelled_status for cancelled, delivered_at for completed.
 */
function orderFactRows(orders: Map<string, OrderEvents>) {
  return [...orders].map(([orderId, { placed, approved, paid, cancelled, completed }]) => ({
    orderId,
    // What placed then completed leave on a new row: placed's customer, else completed's.
    customerId: placed?.customerId ?? completed?.customerId,
    ...(placed && {
      placedStatus: placed.status, purchasedAt: placed.purchasedAt, itemsCount: placed.items.length,
      itemsTotal: placed.itemsTotal, freightTotal: placed.freightTotal, orderTotal: placed.orderTotal,
    }),
    ...(approved && { approvedAt: approved.approvedAt }),
    ...(paid && { paymentsCount: paid.payments.length, paymentsTotal: paid.paymentsTotal }),
    ...(cancelled && { cancelledStatus: cancelled.status, cancelledAt: cancelled.cancelledAt }),
    ...(completed && { deliveredAt: completed.deliveredAt, estimatedDeliveryAt: completed.estimatedDeliveryAt }),
  }));
}

/**
 * One proposed fact_deliveries row per shipment: what applying its dispatched, delivered and
 * delayed events one after the other (in that order) leaves on a new row. The upsert merges it
 * with a stored row through three markers: seller_ids is set only by a dispatch (an array, never
 * NULL then), delivery_days only by a delivery, late by a delivery or a delay.
 */
function deliveryFactRows(shipments: Map<string, DeliveryEvents>) {
  return [...shipments].map(([orderId, { dispatched, delivered, delayed }]) => ({
    orderId,
    dispatched: dispatched !== undefined,
    ...(dispatched && { sellerIds: dispatched.sellerIds, carrierPickupAt: dispatched.carrierPickupAt, anomalies: dispatched.anomalies }),
    customerState: (delayed ?? delivered)?.customerState,
    estimatedDeliveryAt: (delayed ?? delivered ?? dispatched)?.estimatedDeliveryAt,
    // A delay applied after a delivery only fills in a delivered time the delivery lacks, and
    // its delay days only then.
    deliveredAt: delivered?.deliveredAt ?? delayed?.deliveredAt,
    delayDays: delivered ? (delayed && delivered.deliveredAt == null ? delayed.delayDays : delivered.delayDays) : delayed?.delayDays,
    late: delayed ? true : delivered?.late,
    deliveryDays: delivered?.deliveryDays,
    distanceKm: delivered?.distanceKm ?? dispatched?.distanceKm,
  }));
}

/** `column = EXCLUDED.column`, or the stored value when the marker column proposes NULL. */
const unlessAbsent = (alias: string, marker: string, columns: string[]) =>
  columns.map((c) => `${c} = CASE WHEN EXCLUDED.${marker} IS NULL THEN ${alias}.${c} ELSE EXCLUDED.${c} END`).join(',\n           ');

/**
 * Applies a batch of the contexts' events to the `core` star schema inside the consumer's
 * transaction: set-based, whatever the batch size. Each event type writes only its own column
 * group of a row, so events of one order from different streams (and different consumers) may
 * arrive in any order; the latest event of a type in the stream wins. fact_orders and
 * fact_deliveries get one upsert each per batch, which writes each row once with all the column
 * groups the batch has for it (the same row as applying the event types one after the other);
 * every other table gets one statement per event type. Re-applying an event changes nothing.
 * Marts are not touched here: the mart builder rebuilds them from core.
 */
export class WarehouseProjector {
  async apply(messages: readonly InboundMessage[], tx: SqlTx): Promise<ProjectionOutcome> {
    const placed = new Latest<OrderPlacedV1>();
    const approved = new Latest<OrderApprovedV1>();
    const paid = new Latest<PaymentReceivedV1>();
    const cancelled = new Latest<OrderCancelledV1>();
    const completed = new Latest<OrderCompletedV1>();
    const dispatched = new Latest<ShipmentDispatchedV1>();
    const delivered = new Latest<DeliveryCompletedV1>();
    const delayed = new Latest<DeliveryDelayedV1>();
    // Per shipment, its last distance-carrying event of the batch when that is a distance change
    // (null when a dispatch or a delivery came after it, whose distance the upsert takes).
    const distanceChanged = new Map<string, ShipmentDistanceChangedV1 | null>();
    const distanceCarried = (orderId: string) => {
      if (distanceChanged.has(orderId)) distanceChanged.set(orderId, null);
    };
    const products = new Latest<ProductListedV1>();
    const recategorized = new Latest<ProductRecategorizedV1>();
    const translated = new Latest<CategoryTranslatedV1>();
    const sellers = new Latest<SellerRegisteredV1>();
    const customers = new Latest<CustomerRegisteredV1>();
    const reviews = new Latest<ReviewSubmittedV1>();
    const segments = new Latest<CustomerSegmentChangedV1 & { seq: number }>();
    const erased = new Latest<CustomerErasedV1>();
    const loads = new Latest<LoadCheckedV1 & { checkedAt: string }>();
    const points: GeolocationPoint[] = [];
    let ignored = 0;
    let geolocationRefused = 0;

    for (const message of messages) {
      if (message.subject === IMPORT_SUBJECTS.geolocation) {
        const batch = message.envelope<ImportGeolocationV1>().payload;
        const translated = translateGeolocationRows(batch.rows);
        points.push(...translated.points);
        geolocationRefused += translated.refused;
        continue;
      }
      const envelope: EventEnvelope = message.envelope();
      const p = envelope.payload as never;
      switch (message.subject) {
        case SALES_SUBJECTS.ORDER_PLACED_V1: placed.put((p as OrderPlacedV1).orderId, p); break;
        case SALES_SUBJECTS.ORDER_APPROVED_V1: approved.put((p as OrderApprovedV1).orderId, p); break;
        case SALES_SUBJECTS.PAYMENT_RECEIVED_V1: paid.put((p as PaymentReceivedV1).orderId, p); break;
        case SALES_SUBJECTS.ORDER_CANCELLED_V1: cancelled.put((p as OrderCancelledV1).orderId, p); break;
        case SALES_SUBJECTS.ORDER_COMPLETED_V1: completed.put((p as OrderCompletedV1).orderId, p); break;
        case FULFILLMENT_SUBJECTS.SHIPMENT_DISPATCHED_V1:
          dispatched.put((p as ShipmentDispatchedV1).orderId, p);
          distanceCarried((p as ShipmentDispatchedV1).orderId);
          break;
        case FULFILLMENT_SUBJECTS.DELIVERY_COMPLETED_V1:
          delivered.put((p as DeliveryCompletedV1).orderId, p);
          distanceCarried((p as DeliveryCompletedV1).orderId);
          break;
        case FULFILLMENT_SUBJECTS.SHIPMENT_DISTANCE_CHANGED_V1:
          distanceChanged.set((p as ShipmentDistanceChangedV1).orderId, p);
          break;
        case FULFILLMENT_SUBJECTS.DELIVERY_DELAYED_V1: delayed.put((p as DeliveryDelayedV1).orderId, p); break;
        case MARKETPLACE_SUBJECTS.PRODUCT_LISTED_V1: products.put((p as ProductListedV1).productId, p); break;
        case MARKETPLACE_SUBJECTS.PRODUCT_RECATEGORIZED_V1: recategorized.put((p as ProductRecategorizedV1).productId, p); break;
        case MARKETPLACE_SUBJECTS.CATEGORY_TRANSLATED_V1: translated.put((p as CategoryTranslatedV1).category, p); break;
        case MARKETPLACE_SUBJECTS.SELLER_REGISTERED_V1: sellers.put((p as SellerRegisteredV1).sellerId, p); break;
        case CUSTOMER_SUBJECTS.CUSTOMER_REGISTERED_V1: customers.put((p as CustomerRegisteredV1).customerUniqueId, p); break;
        case CUSTOMER_SUBJECTS.REVIEW_SUBMITTED_V1: {
          const review = p as ReviewSubmittedV1;
          reviews.put(`${review.reviewId}\u0000${review.orderId}`, review);
          break;
        }
        case CUSTOMER_SUBJECTS.CUSTOMER_SEGMENT_CHANGED_V1: {
          const segment = p as CustomerSegmentChangedV1;
          const seen = segments.get(segment.customerUniqueId);
          if (!seen || seen.seq <= message.streamSequence) segments.put(segment.customerUniqueId, { ...segment, seq: message.streamSequence });
          break;
        }
        case CUSTOMER_SUBJECTS.CUSTOMER_ERASED_V1: erased.put((p as CustomerErasedV1).customerUniqueId, p); break;
        case QUALITY_SUBJECTS.LOAD_CHECKED_V1: {
          const load = p as LoadCheckedV1;
          loads.put(load.loadId, { ...load, checkedAt: envelope.occurredAt });
          break;
        }
        default:
          ignored += 1;
      }
    }

    const run = async (rows: Latest<unknown>, sql: string) => {
      if (rows.size > 0) await tx.query(sql, [rows.json()]);
    };

    // --- sales -------------------------------------------------------------------------------
    const orders = byOrder<OrderEvents>({ placed, approved, paid, cancelled, completed });
    const newOrders = new Set<string>();
    if (orders.size > 0) {
      const written = await tx.query<{ order_id: string; inserted: boolean }>(
        `INSERT INTO core.fact_orders AS f (order_id, customer_id, placed_status, purchased_at, purchase_date_key,
                                            items_count, items_total, freight_total, order_total, approved_at,
                                            payments_count, payments_total, cancelled_status, cancelled_at,
                                            delivered_at, estimated_delivery_at, updated_at)
         SELECT e."orderId", e."customerId", e."placedStatus", ${ts('e."purchasedAt"')}, ${dateKey('e."purchasedAt"')},
                e."itemsCount", e."itemsTotal"::numeric, e."freightTotal"::numeric, e."orderTotal"::numeric,
                ${ts('e."approvedAt"')}, e."paymentsCount", e."paymentsTotal"::numeric, e."cancelledStatus",
                ${ts('e."cancelledAt"')}, ${ts('e."deliveredAt"')}, ${ts('e."estimatedDeliveryAt"')}, now()
           FROM json_to_recordset($1::json) AS e("orderId" text, "customerId" text, "placedStatus" text, "purchasedAt" text,
                                                 "itemsCount" int, "itemsTotal" text, "freightTotal" text, "orderTotal" text,
                                                 "approvedAt" text, "paymentsCount" int, "paymentsTotal" text,
                                                 "cancelledStatus" text, "cancelledAt" text, "deliveredAt" text,
                                                 "estimatedDeliveryAt" text)
         ON CONFLICT (order_id) DO UPDATE SET
           -- A column group the batch has no event of keeps its values: its marker column is NULL.
           -- placed sets the customer; completed only fills it in where the order has none.
           customer_id = CASE WHEN EXCLUDED.purchased_at IS NULL THEN coalesce(f.customer_id, EXCLUDED.customer_id)
                              ELSE EXCLUDED.customer_id END,
           ${unlessAbsent('f', 'purchased_at', ['placed_status', 'purchased_at', 'purchase_date_key', 'items_count', 'items_total', 'freight_total', 'order_total'])},
           ${unlessAbsent('f', 'approved_at', ['approved_at'])},
           ${unlessAbsent('f', 'payments_count', ['payments_count', 'payments_total'])},
           ${unlessAbsent('f', 'cancelled_status', ['cancelled_status', 'cancelled_at'])},
           ${unlessAbsent('f', 'delivered_at', ['delivered_at', 'estimated_delivery_at'])},
           updated_at = now()
         RETURNING f.order_id, (f.xmax = 0) AS inserted`,
        [JSON.stringify(orderFactRows(orders))],
      );
      // An order whose row this statement inserted has no items or payments yet: nothing to replace.
      for (const row of written) if (row.inserted) newOrders.add(row.order_id);
    }
    if (placed.size > 0) {
      const orderIds = placed.values().map((o) => o.orderId).filter((id) => !newOrders.has(id));
      if (orderIds.length > 0) await tx.query(`DELETE FROM core.fact_order_items WHERE order_id = ANY($1::text[])`, [orderIds]);
      await tx.query(
        `INSERT INTO core.fact_order_items (order_id, item_seq, product_id, seller_id, price, freight, shipping_limit_at, purchase_date_key)
         SELECT e."orderId", i."itemSeq", i."productId", i."sellerId", i.price::numeric, i.freight::numeric,
                ${ts('i."shippingLimitAt"')}, ${dateKey('e."purchasedAt"')}
           FROM json_to_recordset($1::json) AS e("orderId" text, "purchasedAt" text, items json)
          CROSS JOIN LATERAL json_to_recordset(e.items) AS i("itemSeq" int, "productId" text, "sellerId" text,
                                                               price text, freight text, "shippingLimitAt" text)`,
        [placed.json()],
      );
    }
    if (paid.size > 0) {
      const orderIds = paid.values().map((o) => o.orderId).filter((id) => !newOrders.has(id));
      if (orderIds.length > 0) await tx.query(`DELETE FROM core.fact_payments WHERE order_id = ANY($1::text[])`, [orderIds]);
      await tx.query(
        `INSERT INTO core.fact_payments (order_id, sequential, payment_type, installments, value)
         SELECT e."orderId", p.sequential, p.type, p.installments, p.value::numeric
           FROM json_to_recordset($1::json) AS e("orderId" text, payments json)
          CROSS JOIN LATERAL json_to_recordset(e.payments) AS p(sequential int, type text, installments int, value text)`,
        [paid.json()],
      );
    }

    // --- fulfillment -------------------------------------------------------------------------
    // A delay is a shipment still undelivered after its estimate, or delivered late: it sets the
    // delay so far only while the row has no delivered time, and the delivered time only where
    // the row has none (a delivery overrides both).
    const shipments = byOrder<DeliveryEvents>({ dispatched, delivered, delayed });
    if (shipments.size > 0) {
      await tx.query(
        `INSERT INTO core.fact_deliveries AS d (order_id, seller_ids, carrier_pickup_at, anomalies, customer_state,
                                                 estimated_delivery_at, delivered_at, delay_days, late, delivery_days,
                                                 distance_km)
         SELECT e."orderId", CASE WHEN e.dispatched THEN ARRAY(SELECT json_array_elements_text(e."sellerIds")) END,
                ${ts('e."carrierPickupAt"')},
                CASE WHEN e.dispatched THEN ARRAY(SELECT json_array_elements_text(e.anomalies)) ELSE '{}'::text[] END,
                e."customerState", ${ts('e."estimatedDeliveryAt"')}, ${ts('e."deliveredAt"')}, e."delayDays", e.late,
                e."deliveryDays", e."distanceKm"
           FROM json_to_recordset($1::json) AS e("orderId" text, dispatched boolean, "sellerIds" json, "carrierPickupAt" text,
                                                 anomalies json, "customerState" text, "estimatedDeliveryAt" text,
                                                 "deliveredAt" text, "delayDays" int, late boolean, "deliveryDays" numeric,
                                                 "distanceKm" numeric)
         ON CONFLICT (order_id) DO UPDATE SET
           -- seller_ids marks a dispatch, delivery_days a delivery, late a delivery or a delay.
           ${unlessAbsent('d', 'seller_ids', ['seller_ids', 'carrier_pickup_at', 'anomalies'])},
           ${unlessAbsent('d', 'late', ['customer_state', 'late'])},
           ${unlessAbsent('d', 'delivery_days', ['delivery_days'])},
           -- each of the three events sets the estimate, and the batch has at least one
           estimated_delivery_at = EXCLUDED.estimated_delivery_at,
           delivered_at = CASE WHEN EXCLUDED.delivery_days IS NULL THEN coalesce(d.delivered_at, EXCLUDED.delivered_at)
                               ELSE EXCLUDED.delivered_at END,
           delay_days = CASE WHEN EXCLUDED.delivery_days IS NOT NULL THEN EXCLUDED.delay_days
                             WHEN EXCLUDED.late IS NOT NULL AND d.delivered_at IS NULL THEN EXCLUDED.delay_days
                             ELSE d.delay_days END,
           distance_km = coalesce(EXCLUDED.distance_km, d.distance_km),
           updated_at = now()`,
        [JSON.stringify(deliveryFactRows(shipments))],
      );
    }

    // A distance change replaces the distance of the shipment's earlier events, null included.
    const distances = [...distanceChanged.values()].filter((d): d is ShipmentDistanceChangedV1 => d !== null);
    if (distances.length > 0) {
      await tx.query(
        `UPDATE core.fact_deliveries d SET distance_km = e."distanceKm", updated_at = now()
           FROM json_to_recordset($1::json) AS e("orderId" text, "distanceKm" numeric)
          WHERE d.order_id = e."orderId" AND d.distance_km IS DISTINCT FROM e."distanceKm"`,
        [JSON.stringify(distances)],
      );
    }

    // --- marketplace -------------------------------------------------------------------------
    await run(
      products,
      `INSERT INTO core.dim_product AS p (product_id, category, category_en, weight_g, length_cm, height_cm, width_cm, photos_qty, exceptions)
       SELECT e."productId", e.category, e."categoryEn", (e.dimensions->>'weightG')::numeric, (e.dimensions->>'lengthCm')::numeric,
              (e.dimensions->>'heightCm')::numeric, (e.dimensions->>'widthCm')::numeric, e."photosQty",
              ARRAY(SELECT json_array_elements_text(e.exceptions))
         FROM json_to_recordset($1::json) AS e("productId" text, category text, "categoryEn" text, dimensions json,
                                               "photosQty" int, exceptions json)
       ON CONFLICT (product_id) DO UPDATE SET category = EXCLUDED.category, category_en = EXCLUDED.category_en,
         weight_g = EXCLUDED.weight_g, length_cm = EXCLUDED.length_cm, height_cm = EXCLUDED.height_cm,
         width_cm = EXCLUDED.width_cm, photos_qty = EXCLUDED.photos_qty, exceptions = EXCLUDED.exceptions, updated_at = now()`,
    );
    await run(
      recategorized,
      `UPDATE core.dim_product p SET category = e."toCategory", category_en = e."toCategoryEn", updated_at = now()
         FROM json_to_recordset($1::json) AS e("productId" text, "toCategory" text, "toCategoryEn" text)
        WHERE p.product_id = e."productId"`,
    );
    // After the products of the batch: a translation names the products of its category listed
    // before it without one; those listed after it carry the name themselves.
    await run(
      translated,
      `UPDATE core.dim_product p SET category_en = e."categoryEn", updated_at = now()
         FROM json_to_recordset($1::json) AS e(category text, "categoryEn" text)
        WHERE p.category = e.category AND p.category_en IS DISTINCT FROM e."categoryEn"`,
    );
    await run(
      sellers,
      `INSERT INTO core.dim_seller AS s (seller_id, zip_prefix, city, state, flags)
       SELECT e."sellerId", e."zipPrefix", e.city, e.state, ARRAY(SELECT json_array_elements_text(e.flags))
         FROM json_to_recordset($1::json) AS e("sellerId" text, "zipPrefix" text, city text, state text, flags json)
       ON CONFLICT (seller_id) DO UPDATE SET zip_prefix = EXCLUDED.zip_prefix, city = EXCLUDED.city, state = EXCLUDED.state,
         flags = EXCLUDED.flags, updated_at = now()`,
    );

    // --- customer ----------------------------------------------------------------------------
    if (customers.size > 0) {
      await tx.query(
        `INSERT INTO core.dim_customer AS c (customer_unique_id, state)
         SELECT e."customerUniqueId", e.state FROM json_to_recordset($1::json) AS e("customerUniqueId" text, state text)
         ON CONFLICT (customer_unique_id) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
        [customers.json()],
      );
      await tx.query(
        `INSERT INTO core.customer_ids (customer_id, customer_unique_id)
         SELECT DISTINCT ON (id) id, e."customerUniqueId"
           FROM json_to_recordset($1::json) AS e("customerUniqueId" text, "customerIds" json)
          CROSS JOIN LATERAL json_array_elements_text(e."customerIds") AS id
         ON CONFLICT (customer_id) DO UPDATE SET customer_unique_id = EXCLUDED.customer_unique_id`,
        [customers.json()],
      );
    }
    await run(
      segments,
      `INSERT INTO core.dim_customer AS c (customer_unique_id, segment, segment_orders, segment_monetary, segment_as_of, segment_seq)
       SELECT e."customerUniqueId", e."to", e.orders, e.monetary::numeric, ${ts('e."asOf"')}, e.seq
         FROM json_to_recordset($1::json) AS e("customerUniqueId" text, "to" text, orders int, monetary text, "asOf" text, seq bigint)
       ON CONFLICT (customer_unique_id) DO UPDATE SET segment = EXCLUDED.segment, segment_orders = EXCLUDED.segment_orders,
         segment_monetary = EXCLUDED.segment_monetary, segment_as_of = EXCLUDED.segment_as_of, segment_seq = EXCLUDED.segment_seq,
         updated_at = now()
       WHERE c.segment_seq IS NULL OR c.segment_seq <= EXCLUDED.segment_seq`,
    );
    await run(
      erased,
      `UPDATE core.dim_customer c SET erased_at = ${ts('e."erasedAt"')}, updated_at = now()
         FROM json_to_recordset($1::json) AS e("customerUniqueId" text, "erasedAt" text)
        WHERE c.customer_unique_id = e."customerUniqueId"`,
    );
    await run(
      reviews,
      `INSERT INTO core.fact_reviews AS r (review_id, order_id, score, created_at, answered_at, has_comment)
       SELECT e."reviewId", e."orderId", e.score, ${ts('e."createdAt"')}, ${ts('e."answeredAt"')}, e."hasComment"
         FROM json_to_recordset($1::json) AS e("reviewId" text, "orderId" text, score int, "createdAt" text,
                                               "answeredAt" text, "hasComment" boolean)
       ON CONFLICT (review_id, order_id) DO UPDATE SET score = EXCLUDED.score, created_at = EXCLUDED.created_at,
         answered_at = EXCLUDED.answered_at, has_comment = EXCLUDED.has_comment`,
    );

    // --- quality and the public geolocation feed ----------------------------------------------
    await run(
      loads,
      `INSERT INTO core.load_checks AS l (load_id, gate, unchanged, files, checked_at)
       SELECT e."loadId", e.gate, e.unchanged, e.files, ${ts('e."checkedAt"')}
         FROM json_to_recordset($1::json) AS e("loadId" text, gate text, unchanged boolean, files jsonb, "checkedAt" text)
       ON CONFLICT (load_id) DO UPDATE SET gate = EXCLUDED.gate, unchanged = EXCLUDED.unchanged, files = EXCLUDED.files,
         checked_at = EXCLUDED.checked_at`,
    );
    if (points.length > 0) {
      // Unnested in the select list (the arrays have one length, so their rows go in lockstep):
      // `unnest(a, b, …)` in FROM would first copy each array into a tuplestore.
      await tx.query(
        `INSERT INTO core.geolocation_points (zip_prefix, lat, lng, city, state)
         SELECT unnest($1::text[]), unnest($2::float8[]), unnest($3::float8[]), unnest($4::text[]), unnest($5::text[])`,
        [pgArray(points.map((p) => p.zip)), pgArray(points.map((p) => p.lat)), pgArray(points.map((p) => p.lng)), pgArray(points.map((p) => p.city)), pgArray(points.map((p) => p.state))],
      );
    }

    const applied = messages.length - ignored;
    const perStream = new Map<string, number>();
    for (const m of messages) perStream.set(m.stream, (perStream.get(m.stream) ?? 0) + 1);
    for (const [stream, count] of perStream) {
      await tx.query(
        `INSERT INTO core.projection_state (stream, applied_events) VALUES ($1, $2)
         ON CONFLICT (stream) DO UPDATE SET applied_events = core.projection_state.applied_events + EXCLUDED.applied_events`,
        [stream, count],
      );
    }
    return { events: applied, ignored, geolocationPoints: points.length, geolocationRefused };
  }
}
