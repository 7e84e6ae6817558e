import { pgArray, type SqlTx } from '@olist/messaging';
import type { PiiCipher } from '@olist/pii';
import { BRAZIL_BOUNDING_BOX, EARTH_RADIUS_KM } from '@olist/shared-kernel';
import type { CustomerZip, GeoBatch, ImportRefusal, OrderSeller, SellerZip, ShipmentRow } from '../messaging/olist-import.acl';

/** Purpose of the keyed hash of a customer's zip prefix, and associated text of its sealed value. */
const ZIP_REF_PURPOSE = 'fulfillment.customer_zips.zip_ref';
const zipContext = (customerId: string) => `fulfillment.customer_zips.zip_sealed:${customerId}`;

/** A shipment as stored, with the distinct sellers of its items (first item first). */
export interface StoredShipment {
  readonly order_id: string;
  readonly status: string;
  readonly purchased_at: Date | null;
  readonly carrier_pickup_at: Date | null;
  readonly delivered_at: Date | null;
  readonly estimated_delivery_at: Date | null;
  readonly delay_days: number | null;
  readonly late: boolean | null;
  readonly delivery_days: string | null;
  readonly anomalies: string[];
  readonly customer_state: string | null;
  readonly distance_km: number | null;
  readonly dispatched_event_id: string | null;
  readonly completed_event_id: string | null;
  readonly delayed_event_id: string | null;
  readonly seller_ids: string[];
}

/** What settling records of a shipment (see `saveSettled`). */
export type SettledShipment = {
  orderId: string;
  /** The customer state and distance worked out now, when they differ from those stored. */
  context?: { readonly state: string | null; readonly distance: number | null };
  /** The distance the events written now carry, when one of them carries it. */
  announced?: { readonly distance: number | null };
} & Partial<Record<EventColumn, string>>;

/** A shipment whose changed distance is to be announced (see `announceDistances`). */
export interface DistanceAnnouncement {
  readonly order_id: string;
  readonly distance_km: number | null;
  readonly distance_revision: number;
  /** Business time of the announcement: the purchase (or the shipment's first known date). */
  readonly occurred_at: Date;
}

/** What a shipment's context depends on, as read for COMPUTE_CONTEXT_SQL. */
interface ContextSource {
  readonly order_id: string;
  readonly customer_id: string;
  readonly state: string | null;
  readonly zip_sealed: Buffer | null;
  readonly seller_zip: string | null;
}

export type EventColumn = 'dispatched_event_id' | 'completed_event_id' | 'delayed_event_id';

/** What a geolocation batch did. */
export interface GeoOutcome {
  /** Distinct inside-Brazil points of the batch, added to the log. */
  readonly points: number;
  /** Rows repeating a point of the same batch. */
  readonly duplicates: number;
  /** Distinct points outside Brazil, left out. */
  readonly outside: number;
}

/** Great-circle distance in SQL between two (lat, lng) pairs in degrees, as haversineKm computes it (null-safe only under a guard: greatest() skips nulls). */
const HAVERSINE_SQL = (lat1: string, lng1: string, lat2: string, lng2: string) => `
  2 * ${EARTH_RADIUS_KM} * asin(sqrt(least(1, greatest(0,
    power(sin(radians(${lat2}::float8 - ${lat1}::float8) / 2), 2)
    + cos(radians(${lat1}::float8)) * cos(radians(${lat2}::float8)) * power(sin(radians(${lng2}::float8 - ${lng1}::float8) / 2), 2)))))`;

/** The first seller of shipment `s` (by first item, then id), joined as `first_seller`. */
const FIRST_SELLER_SQL = `LEFT JOIN LATERAL (SELECT os.seller_id FROM fulfillment.order_sellers os WHERE os.order_id = s.order_id
                             ORDER BY os.first_item, os.seller_id LIMIT 1) first_seller ON true`;

/**
 * From `input` (order_id, state, customer_zip, seller_zip), `computed`: the customer state and
 * seller → customer distance (km, 2 decimals; null while a centroid is missing) of each shipment.
 */
const COMPUTE_CONTEXT_SQL = `computed AS (
         SELECT x.order_id, x.state::char(2) AS state,
                CASE WHEN sc.lat IS NOT NULL AND cc.lat IS NOT NULL
                     THEN round((${HAVERSINE_SQL('sc.lat', 'sc.lng', 'cc.lat', 'cc.lng')})::numeric, 2)::float8 END AS distance
           FROM input x
           LEFT JOIN fulfillment.zip_centroids sc ON sc.zip_prefix = x.seller_zip
           LEFT JOIN fulfillment.zip_centroids cc ON cc.zip_prefix = x.customer_zip
       )`;

/** COMPUTE_CONTEXT_SQL, then the shipments whose state or distance differs updated; their ids as `changed`. */
const APPLY_CONTEXT_SQL = `${COMPUTE_CONTEXT_SQL}, changed AS (
         UPDATE fulfillment.shipments s SET customer_state = x.state, distance_km = x.distance, updated_at = now()
           FROM computed x
          WHERE s.order_id = x.order_id AND (s.customer_state, s.distance_km) IS DISTINCT FROM (x.state, x.distance)
         RETURNING s.order_id
       )`;

/**
 * Set-based persistence of the fulfillment model; every statement runs in the caller's transaction.
 * A customer's zip prefix is stored sealed with `feed` (OLIST_FEED_KEYS) next to a keyed hash for
 * look-ups, and opened only in memory to join it with its centroid.
 */
export class ShipmentStore {
  constructor(private readonly feed: PiiCipher) {}

  /** Stores customers' zip prefixes sealed; an unchanged one (same keyed hash and state) is not written again. */
  async saveCustomers(tx: SqlTx, customers: readonly CustomerZip[]): Promise<number> {
    if (customers.length === 0) return 0;
    const rows = await tx.query(
      `INSERT INTO fulfillment.customer_zips AS t (customer_id, zip_sealed, zip_ref, state)
       SELECT * FROM unnest($1::text[], $2::bytea[], $3::bytea[], $4::text[])
       ON CONFLICT (customer_id) DO UPDATE SET zip_prefix = NULL, zip_sealed = EXCLUDED.zip_sealed, zip_ref = EXCLUDED.zip_ref, state = EXCLUDED.state
        WHERE (t.zip_ref, t.state) IS DISTINCT FROM (EXCLUDED.zip_ref, EXCLUDED.state)
       RETURNING customer_id`,
      [
        customers.map((x) => x.customerId),
        customers.map((x) => this.feed.encrypt(x.zipPrefix, zipContext(x.customerId))),
        customers.map((x) => this.feed.keyedHash(x.zipPrefix, ZIP_REF_PURPOSE)),
        customers.map((x) => x.state),
      ],
    );
    return rows.length;
  }

  /** Seals the zip prefixes written in clear before they were sealed (SQL has no key to do it in the migration). */
  async sealClearCustomerZips(tx: SqlTx): Promise<number> {
    const clear = await tx.query<{ customer_id: string; zip_prefix: string }>(
      `SELECT customer_id, zip_prefix FROM fulfillment.customer_zips WHERE zip_prefix IS NOT NULL`,
    );
    if (clear.length === 0) return 0;
    await tx.query(
      `UPDATE fulfillment.customer_zips c SET zip_prefix = NULL, zip_sealed = x.sealed, zip_ref = x.ref
         FROM unnest($1::text[], $2::bytea[], $3::bytea[]) AS x(customer_id, sealed, ref) WHERE c.customer_id = x.customer_id`,
      [
        clear.map((c) => c.customer_id),
        clear.map((c) => this.feed.encrypt(c.zip_prefix, zipContext(c.customer_id))),
        clear.map((c) => this.feed.keyedHash(c.zip_prefix, ZIP_REF_PURPOSE)),
      ],
    );
    return clear.length;
  }

  /** Refused raw-feed rows with their reason (first record of a row and code kept). */
  async recordRefusals(tx: SqlTx, refusals: readonly ImportRefusal[]): Promise<void> {
    if (refusals.length === 0) return;
    await tx.query(
      `INSERT INTO fulfillment.import_exceptions (load_id, file, line, code, message)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::text[])
       ON CONFLICT DO NOTHING`,
      [refusals.map((r) => r.loadId), refusals.map((r) => r.file), refusals.map((r) => r.line), refusals.map((r) => r.code), refusals.map((r) => r.message)],
    );
  }

  async saveSellers(tx: SqlTx, sellers: readonly SellerZip[]): Promise<number> {
    if (sellers.length === 0) return 0;
    const rows = await tx.query(
      `INSERT INTO fulfillment.seller_zips AS t (seller_id, zip_prefix)
       SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (seller_id) DO UPDATE SET zip_prefix = EXCLUDED.zip_prefix WHERE t.zip_prefix <> EXCLUDED.zip_prefix
       RETURNING seller_id`,
      [sellers.map((x) => x.sellerId), sellers.map((x) => x.zipPrefix)],
    );
    return rows.length;
  }

  async saveOrderSellers(tx: SqlTx, links: readonly OrderSeller[]): Promise<number> {
    if (links.length === 0) return 0;
    const rows = await tx.query(
      `INSERT INTO fulfillment.order_sellers AS t (order_id, seller_id, first_item)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[])
       ON CONFLICT (order_id, seller_id) DO UPDATE SET first_item = EXCLUDED.first_item WHERE EXCLUDED.first_item < t.first_item
       RETURNING order_id`,
      [links.map((x) => x.orderId), links.map((x) => x.sellerId), links.map((x) => x.itemSeq)],
    );
    return rows.length;
  }

  async saveShipments(tx: SqlTx, rows: readonly ShipmentRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    const written = await tx.query(
      `INSERT INTO fulfillment.shipments AS t (order_id, customer_id, order_status, status, purchased_at, carrier_pickup_at, delivered_at,
                                          estimated_delivery_at, delay_days, late, delivery_days, anomalies)
       SELECT o, cu, os, st, pa::timestamptz, ca::timestamptz, de::timestamptz, es::timestamptz, dd, la, dv, string_to_array(an, ',')
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::int[], $10::boolean[], $11::numeric[], $12::text[])
              AS x(o, cu, os, st, pa, ca, de, es, dd, la, dv, an)
       ON CONFLICT (order_id) DO UPDATE SET
         customer_id = EXCLUDED.customer_id, order_status = EXCLUDED.order_status, status = EXCLUDED.status,
         purchased_at = EXCLUDED.purchased_at, carrier_pickup_at = EXCLUDED.carrier_pickup_at, delivered_at = EXCLUDED.delivered_at,
         estimated_delivery_at = EXCLUDED.estimated_delivery_at, delay_days = EXCLUDED.delay_days, late = EXCLUDED.late,
         delivery_days = EXCLUDED.delivery_days, anomalies = EXCLUDED.anomalies, updated_at = now()
        WHERE (t.customer_id, t.order_status, t.status, t.purchased_at, t.carrier_pickup_at, t.delivered_at, t.estimated_delivery_at,
               t.delay_days, t.late, t.delivery_days, t.anomalies)
              IS DISTINCT FROM
              (EXCLUDED.customer_id, EXCLUDED.order_status, EXCLUDED.status, EXCLUDED.purchased_at, EXCLUDED.carrier_pickup_at,
               EXCLUDED.delivered_at, EXCLUDED.estimated_delivery_at, EXCLUDED.delay_days, EXCLUDED.late, EXCLUDED.delivery_days, EXCLUDED.anomalies)
       RETURNING order_id`,
      [
        rows.map((r) => r.shipment.orderId),
        rows.map((r) => r.customerId),
        rows.map((r) => r.orderStatus),
        rows.map((r) => r.shipment.status),
        rows.map((r) => iso(r.shipment.purchasedAt)),
        rows.map((r) => iso(r.shipment.carrierPickupAt)),
        rows.map((r) => iso(r.shipment.deliveredAt)),
        rows.map((r) => iso(r.shipment.estimatedDeliveryAt)),
        rows.map((r) => r.shipment.delayDays),
        rows.map((r) => r.shipment.late),
        rows.map((r) => r.shipment.deliveryDays),
        rows.map((r) => (r.shipment.anomalies.length === 0 ? '' : r.shipment.anomalies.join(','))),
      ],
    );
    return written.length;
  }

  /**
   * Adds geolocation batches in one statement: their distinct inside-Brazil points go to the log
   * (`fulfillment.geo_log`, without trailing zeros, no uniqueness check: a point seen before is
   * appended again and counts once when the centroid is worked out) and their prefixes are listed
   * in `fulfillment.centroid_due`; `refreshCentroids` works the centroids out. Each batch's counts
   * are recorded once per (load, batch); its `duplicates` are the rows repeating a point of the
   * same batch. Returns the counts per batch, in the order given.
   *
   * The arrays are unnested in the select list (rows in lockstep, as the arrays have one length),
   * which streams them where `unnest(a, b, …)` in FROM would first copy each into a tuplestore; the
   * due prefixes are those of the logged points, taken from the input rather than from the
   * insert's RETURNING (a data-modifying WITH runs to completion whether or not it is read). With
   * the bound arrays the planner knows the row count and hashes the distinct points.
   */
  async addGeolocation(tx: SqlTx, geos: readonly GeoBatch[]): Promise<GeoOutcome[]> {
    if (geos.length === 0) return [];
    const box = BRAZIL_BOUNDING_BOX;
    const rows = geos.flatMap((geo, b) => geo.rows.map((r) => ({ b, ...r })));
    const counted = await tx.query<{ b: number; distinct_points: number; inside: number }>(
      `WITH input AS (
         SELECT DISTINCT b, z, trim_scale(lat) AS lat, trim_scale(lng) AS lng,
                lat BETWEEN $5 AND $6 AND lng BETWEEN $7 AND $8 AS inside
           FROM (SELECT unnest($1::int[]) AS b, unnest($2::text[]) AS z, unnest($3::numeric[]) AS lat, unnest($4::numeric[]) AS lng) t
       ), logged AS (
         INSERT INTO fulfillment.geo_log (zip_prefix, lat, lng) SELECT z, lat, lng FROM input WHERE inside
       ), due AS (
         INSERT INTO fulfillment.centroid_due (zip_prefix) SELECT DISTINCT z FROM input WHERE inside
       )
       SELECT b, count(*)::int AS distinct_points, (count(*) FILTER (WHERE inside))::int AS inside FROM input GROUP BY b`,
      [pgArray(rows.map((r) => r.b)), pgArray(rows.map((r) => r.zipPrefix)), pgArray(rows.map((r) => r.lat)), pgArray(rows.map((r) => r.lng)), box.minLat, box.maxLat, box.minLng, box.maxLng],
    );
    const countOf = new Map(counted.map((c) => [c.b, c]));
    const outcomes = geos.map((geo, b): GeoOutcome => {
      const c = countOf.get(b);
      const distinct = c?.distinct_points ?? 0;
      return { points: c?.inside ?? 0, duplicates: geo.rows.length - distinct, outside: distinct - (c?.inside ?? 0) };
    });
    await tx.query(
      `INSERT INTO fulfillment.geolocation_batches (load_id, batch, rows, duplicates, outside, unreadable)
       SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[])
       ON CONFLICT (load_id, batch) DO NOTHING`,
      [
        geos.map((g) => g.loadId),
        geos.map((g) => g.batch),
        geos.map((g) => g.received),
        outcomes.map((o) => o.duplicates),
        outcomes.map((o) => o.outside),
        geos.map((g) => g.unreadable),
      ],
    );
    return outcomes;
  }

  /**
   * Works out the centroids of the prefixes listed in `fulfillment.centroid_due` — the mean of the
   * distinct points of the log, summed exactly (numeric) — and records those that changed in
   * `fulfillment.stale_prefixes`. A batch adding points while this runs lists its prefixes in rows
   * this delete does not see, so no point is missed (and neither waits for the other). Returns how many
   * centroids changed.
   */
  async refreshCentroids(tx: SqlTx): Promise<number> {
    const [result] = await tx.query<{ changed: number }>(
      `WITH due AS MATERIALIZED (
         DELETE FROM fulfillment.centroid_due RETURNING zip_prefix
       ), computed AS (
         SELECT zip_prefix, sum(lat) AS lat_sum, sum(lng) AS lng_sum, count(*)::int AS points
           FROM (SELECT DISTINCT l.zip_prefix, l.lat, l.lng FROM fulfillment.geo_log l WHERE l.zip_prefix IN (SELECT zip_prefix FROM due)) p
          GROUP BY zip_prefix
       ), changed AS (
         INSERT INTO fulfillment.zip_centroids AS t (zip_prefix, lat_sum, lng_sum, points)
         SELECT zip_prefix, lat_sum, lng_sum, points FROM computed ORDER BY zip_prefix
         ON CONFLICT (zip_prefix) DO UPDATE SET lat_sum = EXCLUDED.lat_sum, lng_sum = EXCLUDED.lng_sum, points = EXCLUDED.points
          WHERE (t.lat_sum, t.lng_sum, t.points) IS DISTINCT FROM (EXCLUDED.lat_sum, EXCLUDED.lng_sum, EXCLUDED.points)
         RETURNING zip_prefix
       ), stale AS (
         INSERT INTO fulfillment.stale_prefixes (zip_prefix) SELECT zip_prefix::text FROM changed
         ON CONFLICT DO NOTHING
       )
       SELECT count(*)::int AS changed FROM changed`,
    );
    return result?.changed ?? 0;
  }

  /** The shipments with a seller in one of the zip prefixes. */
  async ordersOfSellersIn(tx: SqlTx, prefixes: readonly string[]): Promise<string[]> {
    if (prefixes.length === 0) return [];
    const rows = await tx.query<{ order_id: string }>(
      `SELECT DISTINCT os.order_id FROM fulfillment.order_sellers os JOIN fulfillment.shipments s ON s.order_id = os.order_id
        WHERE os.seller_id IN (SELECT seller_id FROM fulfillment.seller_zips WHERE zip_prefix = ANY($1))`,
      [prefixes],
    );
    return rows.map((r) => r.order_id);
  }

  /**
   * Lists the shipments whose context and events are due because these orders, customers or
   * sellers arrived (orders of the customers and sellers included); `settle` works them out. One
   * branch per kind of key, each planned on its own: the orders of a batch are found through the
   * primary key alone (an index-only scan), where one condition `order_id = ANY … OR customer_id =
   * ANY …` made every call read the whole table.
   */
  async markUnsettled(tx: SqlTx, orderIds: readonly string[], customerIds: readonly string[], sellerIds: readonly string[]): Promise<void> {
    const params: (readonly string[])[] = [];
    const branches: string[] = [];
    const branch = (ids: readonly string[], sql: (param: string) => string) => {
      if (ids.length === 0) return;
      params.push(ids);
      branches.push(sql(`$${params.length}::text[]`));
    };
    branch(orderIds, (p) => `SELECT order_id FROM fulfillment.shipments WHERE order_id = ANY(${p})`);
    branch(customerIds, (p) => `SELECT order_id FROM fulfillment.shipments WHERE customer_id = ANY(${p})`);
    branch(
      sellerIds,
      (p) => `SELECT os.order_id FROM fulfillment.order_sellers os JOIN fulfillment.shipments s ON s.order_id = os.order_id WHERE os.seller_id = ANY(${p})`,
    );
    if (branches.length === 0) return;
    await tx.query(
      `INSERT INTO fulfillment.unsettled_orders (order_id)
       ${branches.join('\n       UNION\n       ')}
       ON CONFLICT DO NOTHING`,
      params,
    );
  }

  /**
   * Takes up to `limit` listed shipments after `after` off the list, in order id order (the last
   * one is the next call's `after`). One range delete bounded by an init plan: no join whose plan
   * depends on the list's statistics (one such statement took 244 s in 45 calls of a scale-1 run),
   * and the scan starts past the entries this transaction already took (still in the index until
   * vacuumed).
   */
  async takeUnsettled(tx: SqlTx, limit: number, after = ''): Promise<string[]> {
    const rows = await tx.query<{ order_id: string }>(
      `WITH taken AS (
         DELETE FROM fulfillment.unsettled_orders
          WHERE order_id > $2
            AND order_id <= (SELECT max(order_id) FROM (SELECT order_id FROM fulfillment.unsettled_orders
                                                         WHERE order_id > $2 ORDER BY order_id LIMIT $1) first)
         RETURNING order_id
       )
       SELECT order_id FROM taken ORDER BY order_id`,
      [limit, after],
    );
    return rows.map((r) => r.order_id);
  }

  /**
   * Recomputes the context of the shipments with a customer or seller in a zip prefix recorded
   * stale (`refreshed` ones, already recomputed in this transaction with the same centroids, are
   * not unsealed again), and forgets the prefixes; those unsealed `chunk` at a time, which bounds
   * the customers' zip prefixes held in memory. Returns the shipments whose context changed.
   */
  async refreshStalePrefixes(tx: SqlTx, refreshed: readonly string[] = [], chunk = 5_000): Promise<string[]> {
    const stale = await tx.query<{ zip_prefix: string }>(`DELETE FROM fulfillment.stale_prefixes RETURNING zip_prefix`);
    if (stale.length === 0) return [];
    const prefixes = stale.map((r) => r.zip_prefix);
    // A customer found by the keyed hash of a stale prefix (under every configured key: values
    // hashed before a rotation too) is in that prefix: those shipments are worked out in one
    // statement, with nothing unsealed (`refreshed` ones included: their values come out the same
    // and are not written). The others with a seller in a stale prefix go through refreshContext.
    const refs = prefixes.flatMap((p) => this.feed.keyedHashes(p, ZIP_REF_PURPOSE).map((ref) => ({ p, ref })));
    const [byCustomer] = await tx.query<{ covered: string[] | null; changed: string[] | null }>(
      `WITH input AS MATERIALIZED (
         SELECT s.order_id, c.state, t.zip_prefix AS customer_zip, sz.zip_prefix AS seller_zip
           FROM unnest($1::text[], $2::bytea[]) AS t(zip_prefix, zip_ref)
           JOIN fulfillment.customer_zips c ON c.zip_ref = t.zip_ref
           JOIN fulfillment.shipments s ON s.customer_id = c.customer_id
           ${FIRST_SELLER_SQL}
           LEFT JOIN fulfillment.seller_zips sz ON sz.seller_id = first_seller.seller_id
       ), ${APPLY_CONTEXT_SQL}
       SELECT (SELECT array_agg(order_id) FROM input) AS covered, (SELECT array_agg(order_id) FROM changed) AS changed`,
      [refs.map((r) => r.p), refs.map((r) => r.ref)],
    );
    const skip = new Set([...refreshed, ...(byCustomer?.covered ?? [])]);
    const orders = (await this.ordersOfSellersIn(tx, prefixes)).filter((o) => !skip.has(o));
    const changed = [...(byCustomer?.changed ?? [])];
    for (let i = 0; i < orders.length; i += chunk) changed.push(...(await this.refreshContext(tx, orders.slice(i, i + chunk))));
    return changed;
  }

  /**
   * Customer state and seller → customer distance (first seller's centroid to the customer's, km,
   * 2 decimals) of the given shipments. The customers' zip prefixes are unsealed in memory and
   * passed to the statement as parameters, never written. Two statements whatever the number of
   * shipments, both driven by the primary keys: what the context depends on is read, then the
   * shipments whose state or distance differs are updated.
   */
  async refreshContext(tx: SqlTx, orderIds: readonly string[]): Promise<string[]> {
    if (orderIds.length === 0) return [];
    const inputs = await tx.query<{ order_id: string; customer_id: string; state: string | null; zip_sealed: Buffer | null; seller_zip: string | null }>(
      `SELECT s.order_id, s.customer_id, c.state, c.zip_sealed, sz.zip_prefix AS seller_zip
         FROM unnest($1::text[]) AS ids(order_id)
         JOIN fulfillment.shipments s ON s.order_id = ids.order_id
         LEFT JOIN fulfillment.customer_zips c ON c.customer_id = s.customer_id
         ${FIRST_SELLER_SQL}
         LEFT JOIN fulfillment.seller_zips sz ON sz.seller_id = first_seller.seller_id`,
      [orderIds],
    );
    const rows = await tx.query<{ order_id: string }>(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(order_id, state, customer_zip, seller_zip)
       ), ${APPLY_CONTEXT_SQL}
       SELECT order_id FROM changed`,
      this.contextInput(inputs),
    );
    return rows.map((r) => r.order_id);
  }

  /**
   * Of these shipments, those with a shipment-dispatched or delivery-completed event published
   * whose distance is no longer the one last announced: recorded as announced now (their revision
   * counts one more), for the caller to write their shipment-distance-changed events in the same
   * transaction.
   */
  async announceDistances(tx: SqlTx, orderIds: readonly string[]): Promise<DistanceAnnouncement[]> {
    if (orderIds.length === 0) return [];
    return tx.query<DistanceAnnouncement>(
      `UPDATE fulfillment.shipments s
          SET announced_distance_km = s.distance_km, distance_revision = s.distance_revision + 1
        WHERE s.order_id = ANY($1::text[])
          AND (s.dispatched_event_id IS NOT NULL OR s.completed_event_id IS NOT NULL)
          AND s.distance_km IS DISTINCT FROM s.announced_distance_km
       RETURNING s.order_id, s.distance_km, s.distance_revision,
                 coalesce(s.purchased_at, s.carrier_pickup_at, s.delivered_at, s.estimated_delivery_at) AS occurred_at`,
      [orderIds],
    );
  }

  /**
   * Up to `limit` shipments after `after` (by order id) with a shipment-dispatched or
   * delivery-completed event published whose distance differs from the one last announced — at
   * rest none but those published before announcements were recorded
   * (FulfillmentAnnouncedDistance1764880000000), for `announceDistances`.
   */
  async unannouncedDistances(tx: SqlTx, limit: number, after = ''): Promise<string[]> {
    const rows = await tx.query<{ order_id: string }>(
      `SELECT order_id FROM fulfillment.shipments
        WHERE order_id > $2
          AND (dispatched_event_id IS NOT NULL OR completed_event_id IS NOT NULL)
          AND distance_km IS DISTINCT FROM announced_distance_km
        ORDER BY order_id LIMIT $1`,
      [limit, after],
    );
    return rows.map((r) => r.order_id);
  }

  /**
   * The shipments to settle as stored, each with its context worked out with the centroids known
   * now (`state`, `distance`; the customer's zip prefix unsealed in memory, never written). Three
   * statements whatever the number: the shipments with what their context depends on, the
   * context computed in SQL, and — by `saveSettled` — one update of what changed.
   */
  async loadForSettling(tx: SqlTx, orderIds: readonly string[]): Promise<(StoredShipment & { context: { state: string | null; distance: number | null } })[]> {
    if (orderIds.length === 0) return [];
    const rows = await tx.query<StoredShipment & { customer_id: string; state: string | null; zip_sealed: Buffer | null; seller_zip: string | null }>(
      `SELECT s.order_id, s.status, s.purchased_at, s.carrier_pickup_at, s.delivered_at, s.estimated_delivery_at, s.delay_days, s.late,
              s.delivery_days::text AS delivery_days, s.anomalies, s.customer_state, s.distance_km,
              s.dispatched_event_id::text AS dispatched_event_id, s.completed_event_id::text AS completed_event_id, s.delayed_event_id::text AS delayed_event_id,
              ARRAY(SELECT os.seller_id FROM fulfillment.order_sellers os WHERE os.order_id = s.order_id ORDER BY os.first_item, os.seller_id) AS seller_ids,
              s.customer_id, c.state, c.zip_sealed, sz.zip_prefix AS seller_zip
         FROM fulfillment.shipments s
         LEFT JOIN fulfillment.customer_zips c ON c.customer_id = s.customer_id
         ${FIRST_SELLER_SQL}
         LEFT JOIN fulfillment.seller_zips sz ON sz.seller_id = first_seller.seller_id
        WHERE s.order_id = ANY($1) ORDER BY s.order_id`,
      [orderIds],
    );
    if (rows.length === 0) return [];
    const computed = await tx.query<{ order_id: string; state: string | null; distance: number | null }>(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS x(order_id, state, customer_zip, seller_zip)
       ), ${COMPUTE_CONTEXT_SQL}
       SELECT order_id, state, distance FROM computed`,
      this.contextInput(rows),
    );
    const contextOf = new Map(computed.map((c) => [c.order_id, { state: c.state, distance: c.distance }]));
    return rows.map(({ customer_id: _c, state: _s, zip_sealed: _z, seller_zip: _sz, ...shipment }) => ({
      ...shipment,
      context: contextOf.get(shipment.order_id) ?? { state: null, distance: null },
    }));
  }

  /**
   * Writes what settling changed, one update per shipment whatever changed: the context (state,
   * distance) where given, the ids of the events just written, and the distance they announced.
   */
  async saveSettled(tx: SqlTx, settled: readonly SettledShipment[]): Promise<void> {
    if (settled.length === 0) return;
    await tx.query(
      `UPDATE fulfillment.shipments s
          SET customer_state = CASE WHEN x.ctx THEN x.state::char(2) ELSE s.customer_state END,
              distance_km = CASE WHEN x.ctx THEN x.distance ELSE s.distance_km END,
              updated_at = CASE WHEN x.ctx THEN now() ELSE s.updated_at END,
              dispatched_event_id = coalesce(x.d::uuid, s.dispatched_event_id),
              completed_event_id = coalesce(x.c::uuid, s.completed_event_id),
              delayed_event_id = coalesce(x.l::uuid, s.delayed_event_id),
              announced_distance_km = CASE WHEN x.ann THEN x.announced ELSE s.announced_distance_km END
         FROM unnest($1::text[], $2::boolean[], $3::text[], $4::float8[], $5::text[], $6::text[], $7::text[], $8::boolean[], $9::float8[])
              AS x(o, ctx, state, distance, d, c, l, ann, announced)
        WHERE s.order_id = x.o`,
      [
        settled.map((e) => e.orderId),
        settled.map((e) => e.context !== undefined),
        settled.map((e) => e.context?.state ?? null),
        settled.map((e) => e.context?.distance ?? null),
        settled.map((e) => e.dispatched_event_id ?? null),
        settled.map((e) => e.completed_event_id ?? null),
        settled.map((e) => e.delayed_event_id ?? null),
        settled.map((e) => e.announced !== undefined),
        settled.map((e) => e.announced?.distance ?? null),
      ],
    );
  }

  /**
   * The parameters of the `input` of COMPUTE_CONTEXT_SQL (order ids, states, customer zip prefixes,
   * seller zip prefixes): each customer's zip prefix unsealed in memory, once per customer.
   */
  private contextInput(rows: readonly ContextSource[]): [string[], (string | null)[], (string | null)[], (string | null)[]] {
    const unsealed = new Map<string, string>();
    const customerZip = (row: ContextSource): string | null => {
      if (!row.zip_sealed) return null;
      let zip = unsealed.get(row.customer_id);
      if (zip === undefined) unsealed.set(row.customer_id, (zip = this.feed.decrypt(row.zip_sealed, zipContext(row.customer_id))));
      return zip;
    };
    return [rows.map((r) => r.order_id), rows.map((r) => r.state), rows.map(customerZip), rows.map((r) => r.seller_zip)];
  }
}
