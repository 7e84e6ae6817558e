import { spawnSync } from 'node:child_process';
import { Pool } from 'pg';
import type { QueryRunner } from 'typeorm';
import { IMPORT_COLUMNS, IMPORT_FILE_NAMES, IMPORT_FILES } from '@olist/quality-contracts';
import { PG_SESSION_OPTIONS } from '@olist/service-kit';
import { MART_BUILD, WarehouseSchema1764600000000 } from '@olist/warehouse-infrastructure';

/**
 * The baseline of `bench:e2e`: what a plain SQL job would do with the same files — `psql \copy`
 * into text tables, then INSERT … SELECT into the warehouse's own star schema and the same mart
 * SQL. No events, no contexts, no checks beyond what the casts need. Its connection starts with the
 * services' settings (`PG_SESSION_OPTIONS`), so neither side is measured with a handicap.
 */
export async function plainSqlBuild(databaseUrl: string, dir: string): Promise<{ copySeconds: number; buildSeconds: number; revenue: RevenueTotals }> {
  const pool = new Pool({ connectionString: databaseUrl, max: 2, options: PG_SESSION_OPTIONS });
  try {
    await pool.query('CREATE SCHEMA baseline; CREATE SCHEMA core; CREATE SCHEMA mart;');
    const runner = { query: (sql: string) => pool.query(sql) } as unknown as QueryRunner;
    await new WarehouseSchema1764600000000().up(runner);
    for (const file of IMPORT_FILES) {
      const columns = IMPORT_COLUMNS[file] as readonly string[];
      await pool.query(`CREATE UNLOGGED TABLE baseline.${file} (${columns.map((c) => `"${c}" text`).join(', ')})`);
    }
    const copyStarted = performance.now();
    for (const file of IMPORT_FILES) {
      const copied = spawnSync('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', `\\copy baseline.${file} FROM '${dir}/${IMPORT_FILE_NAMES[file]}' WITH (FORMAT csv, HEADER true)`], {
        encoding: 'utf8',
      });
      if (copied.status !== 0) throw new Error(`psql \\copy of ${IMPORT_FILE_NAMES[file]} failed: ${copied.stderr || copied.error?.message}`);
    }
    const copySeconds = (performance.now() - copyStarted) / 1000;

    const buildStarted = performance.now();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      for (const sql of STAR_SCHEMA) await client.query(sql);
      for (const { sql } of MART_BUILD) await client.query(sql);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    const buildSeconds = (performance.now() - buildStarted) / 1000;
    return { copySeconds, buildSeconds, revenue: await revenueTotals(pool) };
  } finally {
    await pool.end();
  }
}

export interface RevenueTotals {
  orders: number;
  gmv: string;
  payments: string;
  delivered: number;
}

export async function revenueTotals(db: { query(sql: string): Promise<{ rows: Record<string, unknown>[] }> }): Promise<RevenueTotals> {
  const { rows } = await db.query(`
    SELECT (SELECT coalesce(sum(orders), 0)::int FROM mart.revenue_monthly) AS orders,
           (SELECT coalesce(sum(gmv), 0)::numeric(16,2)::text FROM mart.revenue_monthly) AS gmv,
           (SELECT coalesce(sum(payments), 0)::numeric(16,2)::text FROM mart.revenue_monthly) AS payments,
           (SELECT coalesce(sum(delivered), 0)::int FROM mart.delivery_by_state) AS delivered`);
  const r = rows[0] ?? {};
  return { orders: Number(r['orders']), gmv: String(r['gmv']), payments: String(r['payments']), delivered: Number(r['delivered']) };
}

const ts = (column: string) => `nullif(${column}, '')::timestamp`;
const zip = (column: string) => `lpad(split_part(${column}, '.', 1), 5, '0')`;
const int = (column: string) => `nullif(${column}, '')::numeric::int`;

/** Core from the text tables, the way the contexts' events would fill it (orders without items are not placed). */
export const STAR_SCHEMA: readonly string[] = [
  `INSERT INTO core.dim_customer (customer_unique_id, state)
   SELECT DISTINCT ON (customer_unique_id) customer_unique_id, customer_state FROM baseline.customers ORDER BY customer_unique_id`,
  `INSERT INTO core.customer_ids (customer_id, customer_unique_id)
   SELECT DISTINCT ON (customer_id) customer_id, customer_unique_id FROM baseline.customers ORDER BY customer_id`,
  `INSERT INTO core.dim_product (product_id, category, category_en, weight_g, length_cm, height_cm, width_cm, photos_qty)
   SELECT DISTINCT ON (p.product_id) p.product_id, coalesce(nullif(p.product_category_name, ''), 'uncategorized'), t.product_category_name_english,
          nullif(p.product_weight_g, '')::numeric, nullif(p.product_length_cm, '')::numeric, nullif(p.product_height_cm, '')::numeric,
          nullif(p.product_width_cm, '')::numeric, ${int('p.product_photos_qty')}
     FROM baseline.products p LEFT JOIN baseline.category_translation t ON t.product_category_name = p.product_category_name
    ORDER BY p.product_id`,
  `INSERT INTO core.dim_seller (seller_id, zip_prefix, city, state)
   SELECT DISTINCT ON (seller_id) seller_id, ${zip('seller_zip_code_prefix')}, seller_city, seller_state FROM baseline.sellers ORDER BY seller_id`,
  // A one-off build needs no key to stay idempotent: plain DISTINCT, no unique index to maintain.
  `ALTER TABLE core.geolocation_points DROP CONSTRAINT geolocation_points_pkey`,
  `INSERT INTO core.geolocation_points (zip_prefix, lat, lng, city, state)
   SELECT DISTINCT ${zip('geolocation_zip_code_prefix')}, geolocation_lat::float8, geolocation_lng::float8, lower(trim(geolocation_city)), geolocation_state
     FROM baseline.geolocation
    WHERE geolocation_lat::float8 BETWEEN -33.75 AND 5.27 AND geolocation_lng::float8 BETWEEN -73.99 AND -34.79`,
  `INSERT INTO core.fact_order_items (order_id, item_seq, product_id, seller_id, price, freight, shipping_limit_at, purchase_date_key)
   SELECT DISTINCT ON (i.order_id, ${int('i.order_item_id')}) i.order_id, ${int('i.order_item_id')}, i.product_id, i.seller_id,
          i.price::numeric(14,2), i.freight_value::numeric(14,2), ${ts('i.shipping_limit_date')},
          to_char(${ts('o.order_purchase_timestamp')}, 'YYYYMMDD')::int
     FROM baseline.order_items i JOIN baseline.orders o ON o.order_id = i.order_id
    ORDER BY i.order_id, ${int('i.order_item_id')}`,
  `INSERT INTO core.fact_payments (order_id, sequential, payment_type, installments, value)
   SELECT DISTINCT ON (order_id, ${int('payment_sequential')}) order_id, ${int('payment_sequential')}, payment_type,
          ${int('payment_installments')}, payment_value::numeric(14,2)
     FROM baseline.order_payments ORDER BY order_id, ${int('payment_sequential')}`,
  `INSERT INTO core.fact_orders (order_id, customer_id, placed_status, purchased_at, purchase_date_key, items_count, items_total, freight_total,
                                 order_total, approved_at, payments_count, payments_total, cancelled_status, delivered_at, estimated_delivery_at)
   SELECT o.order_id, o.customer_id, o.order_status, ${ts('o.order_purchase_timestamp')}, to_char(${ts('o.order_purchase_timestamp')}, 'YYYYMMDD')::int,
          i.n, i.price, i.freight, i.price + i.freight, ${ts('o.order_approved_at')}, p.n, p.total,
          CASE WHEN o.order_status IN ('canceled', 'unavailable') THEN o.order_status END,
          CASE WHEN o.order_status = 'delivered' AND nullif(o.order_estimated_delivery_date, '') IS NOT NULL THEN ${ts('o.order_delivered_customer_date')} END,
          CASE WHEN o.order_status = 'delivered' AND nullif(o.order_delivered_customer_date, '') IS NOT NULL THEN ${ts('o.order_estimated_delivery_date')} END
     FROM baseline.orders o
     JOIN (SELECT order_id, count(*)::int AS n, sum(price) AS price, sum(freight) AS freight FROM core.fact_order_items GROUP BY order_id) i
       ON i.order_id = o.order_id
     LEFT JOIN (SELECT order_id, count(*)::int AS n, sum(value) AS total FROM core.fact_payments GROUP BY order_id) p ON p.order_id = o.order_id`,
  `INSERT INTO core.fact_reviews (review_id, order_id, score, created_at, answered_at, has_comment)
   SELECT DISTINCT ON (review_id, order_id) review_id, order_id, ${int('review_score')}, ${ts('review_creation_date')},
          ${ts('review_answer_timestamp')}, coalesce(nullif(review_comment_title, ''), nullif(review_comment_message, '')) IS NOT NULL
     FROM baseline.order_reviews ORDER BY review_id, order_id`,
  `INSERT INTO core.fact_deliveries (order_id, customer_state, estimated_delivery_at, delivered_at, delay_days, late, delivery_days)
   SELECT o.order_id, c.state, o.estimated_delivery_at, o.delivered_at, o.delivered_at::date - o.estimated_delivery_at::date,
          o.delivered_at::date > o.estimated_delivery_at::date, extract(epoch FROM o.delivered_at - o.purchased_at) / 86400
     FROM core.fact_orders o JOIN core.customer_ids ci ON ci.customer_id = o.customer_id JOIN core.dim_customer c USING (customer_unique_id)
    WHERE o.delivered_at IS NOT NULL`,
];
