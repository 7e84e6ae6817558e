/**
 * The SQL of every mart, built from `core` only. docs/metrics.md states the same definitions in
 * words; a change here is a change there.
 */

/** An order as the marts see it: placed (its order-placed event arrived), with its effective status. */
export const ORDERS = `
  SELECT o.*,
         CASE WHEN o.cancelled_status IS NOT NULL THEN o.cancelled_status
              WHEN o.delivered_at IS NOT NULL THEN 'delivered'
              ELSE o.placed_status END AS status,
         ci.customer_unique_id
    FROM core.fact_orders o
    LEFT JOIN core.customer_ids ci ON ci.customer_id = o.customer_id
   WHERE o.purchased_at IS NOT NULL`;

/** Delivered orders that have both a delivery and an estimated date, with the customer's state. */
export const DELIVERED = `
  SELECT o.order_id, o.purchased_at, o.delivered_at, o.estimated_delivery_at,
         coalesce(c.state, d.customer_state) AS state,
         (o.delivered_at::date - o.estimated_delivery_at::date) AS delay_days,
         (o.delivered_at::date > o.estimated_delivery_at::date) AS late,
         extract(epoch FROM o.delivered_at - o.purchased_at) / 86400.0 AS delivery_days
    FROM (${ORDERS}) o
    LEFT JOIN core.dim_customer c ON c.customer_unique_id = o.customer_unique_id
    LEFT JOIN core.fact_deliveries d ON d.order_id = o.order_id
   WHERE o.delivered_at IS NOT NULL AND o.estimated_delivery_at IS NOT NULL
     -- status = 'delivered' given a delivery date, written on the columns so that the planner can
     -- estimate it (on the CASE it guessed a few hundred rows of 100,000 and chose nested loops)
     AND (o.cancelled_status IS NULL OR o.cancelled_status = 'delivered')`;

/** Orders that count for a customer's value: placed and not canceled or unavailable. */
export const CUSTOMER_ORDERS = `
  SELECT o.order_id, o.customer_unique_id, o.purchased_at, o.order_total
    FROM (${ORDERS}) o
   WHERE o.status NOT IN ('canceled', 'unavailable') AND o.customer_unique_id IS NOT NULL`;

export const REVIEW_DELAY_BUCKETS: readonly { bucket: string; order: number; min: number | null; max: number | null }[] = [
  { bucket: 'early 8+ days', order: 1, min: null, max: -8 },
  { bucket: 'early 1-7 days', order: 2, min: -7, max: -1 },
  { bucket: 'on the day', order: 3, min: 0, max: 0 },
  { bucket: 'late 1-3 days', order: 4, min: 1, max: 3 },
  { bucket: 'late 4-7 days', order: 5, min: 4, max: 7 },
  { bucket: 'late 8-14 days', order: 6, min: 8, max: 14 },
  { bucket: 'late 15+ days', order: 7, min: 15, max: null },
];

const bucketValues = REVIEW_DELAY_BUCKETS.map(
  (b) => `('${b.bucket}', ${b.order}, ${b.min ?? 'NULL::int'}, ${b.max ?? 'NULL::int'})`,
).join(', ');

/** Category of items whose product the warehouse has not been told about yet. */
export const UNKNOWN_CATEGORY = 'unknown';

/** State of customers the warehouse has not been told about yet. */
export const UNKNOWN_STATE = '--';

/**
 * Statements that rebuild the derived tables; each replaces its table's content and reads only
 * core, so any order gives the same result. Listed longest first (as measured at scale 1), the
 * order a build takes them in until it has timings of its own.
 */
export const MART_BUILD: readonly { table: string; sql: string }[] = [
  {
    // Grouped and sorted in byte order (COLLATE "C"): the 740,000 distinct points of a full load
    // are sorted by prefix, and each prefix's cities and states for their most common value, and
    // under the database's collation every comparison went through the locale (about a quarter of
    // the statement). Equality is the same in any deterministic collation; a tie between two
    // equally common cities goes to the first in byte order whatever the database's locale.
    table: 'core.dim_geolocation',
    sql: `INSERT INTO core.dim_geolocation (zip_prefix, lat, lng, city, state, points)
          SELECT zip_prefix, avg(lat), avg(lng), mode() WITHIN GROUP (ORDER BY city COLLATE "C"),
                 mode() WITHIN GROUP (ORDER BY state COLLATE "C"), count(*)
            FROM (SELECT DISTINCT zip_prefix COLLATE "C" AS zip_prefix, lat, lng, city, state FROM core.geolocation_points) p
           GROUP BY zip_prefix`,
  },
  {
    table: 'mart.rfm',
    sql: `WITH per_customer AS (
            SELECT customer_unique_id, max(purchased_at) AS last_order_at, count(*) AS frequency, sum(order_total) AS monetary
              FROM (${CUSTOMER_ORDERS}) o GROUP BY customer_unique_id
          ), as_of AS (SELECT max(last_order_at) AS at FROM per_customer)
          INSERT INTO mart.rfm (customer_unique_id, state, last_order_at, recency_days, frequency, monetary, r_score, f_score, m_score, rfm_cell)
          SELECT x.*, x.r_score::text || x.f_score::text || x.m_score::text FROM (
            SELECT p.customer_unique_id, c.state, p.last_order_at,
                   floor(extract(epoch FROM a.at - p.last_order_at) / 86400)::int, p.frequency, p.monetary,
                   ntile(5) OVER (ORDER BY p.last_order_at, p.customer_unique_id)::smallint AS r_score,
                   ntile(5) OVER (ORDER BY p.frequency, p.last_order_at, p.customer_unique_id)::smallint AS f_score,
                   ntile(5) OVER (ORDER BY p.monetary, p.customer_unique_id)::smallint AS m_score
              FROM per_customer p CROSS JOIN as_of a
              LEFT JOIN core.dim_customer c ON c.customer_unique_id = p.customer_unique_id
          ) x`,
  },
  {
    table: 'mart.seller_scorecard',
    sql: `WITH items AS (
            SELECT i.seller_id, i.order_id, i.price, i.freight, o.purchased_at FROM core.fact_order_items i
              JOIN (${ORDERS}) o ON o.order_id = i.order_id
          ), seller_orders AS (
            SELECT DISTINCT seller_id, order_id FROM items
          ), deliveries AS (
            SELECT so.seller_id, count(*) AS delivered, count(*) FILTER (WHERE d.late) AS late, avg(d.delivery_days) AS days
              FROM seller_orders so JOIN (${DELIVERED}) d ON d.order_id = so.order_id GROUP BY so.seller_id
          ), reviews AS (
            SELECT so.seller_id, count(*) AS reviews, avg(r.score) AS score
              FROM seller_orders so JOIN core.fact_reviews r ON r.order_id = so.order_id GROUP BY so.seller_id
          )
          INSERT INTO mart.seller_scorecard (seller_id, state, orders, items, revenue, freight, delivered, late, late_rate,
                                             avg_delivery_days, reviews, avg_review_score, first_sale, last_sale)
          SELECT i.seller_id, s.state, count(DISTINCT i.order_id), count(*), sum(i.price), sum(i.freight),
                 coalesce(d.delivered, 0), coalesce(d.late, 0), d.late::numeric / nullif(d.delivered, 0), d.days,
                 coalesce(r.reviews, 0), r.score, min(i.purchased_at)::date, max(i.purchased_at)::date
            FROM items i
            LEFT JOIN core.dim_seller s ON s.seller_id = i.seller_id
            LEFT JOIN deliveries d ON d.seller_id = i.seller_id
            LEFT JOIN reviews r ON r.seller_id = i.seller_id
           GROUP BY i.seller_id, s.state, d.delivered, d.late, d.days, r.reviews, r.score`,
  },
  {
    table: 'mart.category_revenue_monthly',
    sql: `INSERT INTO mart.category_revenue_monthly (month, category, category_en, orders, items, price, freight, gmv)
          SELECT to_char(o.purchased_at, 'YYYY-MM'), coalesce(p.category, '${UNKNOWN_CATEGORY}'), max(p.category_en),
                 count(DISTINCT i.order_id), count(*), sum(i.price), sum(i.freight), sum(i.price + i.freight)
            FROM core.fact_order_items i
            JOIN (${ORDERS}) o ON o.order_id = i.order_id
            LEFT JOIN core.dim_product p ON p.product_id = i.product_id
           GROUP BY 1, 2`,
  },
  {
    table: 'mart.cohort_retention',
    sql: `WITH months AS (
            SELECT DISTINCT customer_unique_id, date_trunc('month', purchased_at)::date AS month FROM (${CUSTOMER_ORDERS}) o
          ), cohorts AS (
            SELECT customer_unique_id, min(month) AS cohort FROM months GROUP BY customer_unique_id
          ), sizes AS (
            SELECT cohort, count(*) AS size FROM cohorts GROUP BY cohort
          )
          INSERT INTO mart.cohort_retention (cohort, months_since, cohort_size, customers, retention)
          SELECT to_char(c.cohort, 'YYYY-MM'),
                 ((extract(year FROM m.month) - extract(year FROM c.cohort)) * 12 + extract(month FROM m.month) - extract(month FROM c.cohort))::smallint,
                 s.size, count(*), count(*)::numeric / s.size
            FROM months m JOIN cohorts c USING (customer_unique_id) JOIN sizes s ON s.cohort = c.cohort
           GROUP BY c.cohort, m.month, s.size`,
  },
  {
    table: 'mart.delivery_by_state',
    sql: `INSERT INTO mart.delivery_by_state (state, delivered, late, late_rate, avg_delivery_days)
          SELECT coalesce(d.state, '${UNKNOWN_STATE}'), count(*), count(*) FILTER (WHERE d.late),
                 count(*) FILTER (WHERE d.late)::numeric / count(*), avg(d.delivery_days)
            FROM (${DELIVERED}) d GROUP BY 1`,
  },
  {
    table: 'mart.reviews_vs_delay',
    sql: `WITH buckets(bucket, bucket_order, min_days, max_days) AS (VALUES ${bucketValues}),
          reviewed AS (
            SELECT d.order_id, d.delay_days, r.score FROM (${DELIVERED}) d JOIN core.fact_reviews r ON r.order_id = d.order_id
          )
          INSERT INTO mart.reviews_vs_delay (bucket, bucket_order, min_delay_days, max_delay_days, orders, reviews, avg_score, low_score_share)
          SELECT b.bucket, b.bucket_order, b.min_days, b.max_days, count(DISTINCT x.order_id), count(x.order_id), avg(x.score),
                 count(*) FILTER (WHERE x.score <= 2)::numeric / nullif(count(x.order_id), 0)
            FROM buckets b
            LEFT JOIN reviewed x ON (b.min_days IS NULL OR x.delay_days >= b.min_days) AND (b.max_days IS NULL OR x.delay_days <= b.max_days)
           GROUP BY b.bucket, b.bucket_order, b.min_days, b.max_days`,
  },
  {
    table: 'mart.payment_mix',
    sql: `INSERT INTO mart.payment_mix (month, payment_type, payments, orders, value, avg_installments)
          SELECT to_char(o.purchased_at, 'YYYY-MM'), p.payment_type, count(*), count(DISTINCT p.order_id), sum(p.value),
                 avg(p.installments)
            FROM core.fact_payments p JOIN (${ORDERS}) o ON o.order_id = p.order_id
           GROUP BY 1, 2`,
  },
  {
    table: 'mart.revenue_monthly',
    sql: `INSERT INTO mart.revenue_monthly (month, orders, items, price, freight, gmv, payments, aov)
          SELECT to_char(o.purchased_at, 'YYYY-MM'), count(*), sum(o.items_count), sum(o.items_total), sum(o.freight_total),
                 sum(o.items_total + o.freight_total), sum(coalesce(o.payments_total, 0)),
                 round(sum(coalesce(o.payments_total, 0)) / count(*), 2)
            FROM (${ORDERS}) o GROUP BY 1`,
  },
  {
    table: 'mart.customer_segments',
    sql: `INSERT INTO mart.customer_segments (state, segment, customers, orders, monetary)
          SELECT coalesce(c.state, '${UNKNOWN_STATE}'), coalesce(c.segment, 'NEW'), count(*), coalesce(sum(c.segment_orders), 0),
                 coalesce(sum(c.segment_monetary), 0)
            FROM core.dim_customer c WHERE c.erased_at IS NULL GROUP BY 1, 2`,
  },
];

/** Everything the projector and the mart builder write; a replay empties it and starts over. */
export const PROJECTED_TABLES: readonly string[] = [
  'core.dim_customer', 'core.customer_ids', 'core.dim_product', 'core.dim_seller', 'core.geolocation_points',
  'core.fact_orders', 'core.fact_order_items', 'core.fact_payments', 'core.fact_deliveries', 'core.fact_reviews',
  'core.load_checks', 'core.projection_state',
  ...MART_BUILD.map((m) => m.table),
];

/** Empties core and mart (dim_date stays) and the warehouse's inbox, in the caller's transaction. */
export async function resetProjection(tx: { query(sql: string, params?: unknown[]): Promise<unknown> }): Promise<void> {
  await tx.query(`TRUNCATE ${PROJECTED_TABLES.join(', ')}`);
  await tx.query(`DELETE FROM core.inbox`);
  await tx.query(`UPDATE core.mart_build SET built_from = 0, built_at = NULL, build_ms = NULL, geolocation_rows = NULL WHERE id = 1`);
}
