import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The warehouse's star schema (`core`) and marts (`mart`), built only from the contexts' events.
 *
 * Keys are the source's natural ids (order, product, seller, customer_unique_id); dates join
 * dim_date through `date_key` (yyyymmdd). Timestamps are the data's local business times
 * (`timestamp` without zone: the events carry them as UTC instants of the same wall-clock value).
 * Money is numeric(14,2), exact to the centavo.
 *
 * Fact rows are written by the projector as events arrive, column group by column group (an
 * order's approval may arrive before its placement); the marts and dim_geolocation are rebuilt
 * from core by the mart builder whenever the consumers have caught up.
 */
export class WarehouseSchema1764600000000 implements MigrationInterface {
  readonly name = 'WarehouseSchema1764600000000';

  async up(runner: QueryRunner): Promise<void> {
    const q = (sql: string) => runner.query(sql);

    await q(`
      CREATE TABLE core.dim_date (
        date_key    integer PRIMARY KEY,
        date        date NOT NULL UNIQUE,
        year        smallint NOT NULL,
        quarter     smallint NOT NULL,
        month       smallint NOT NULL,
        year_month  char(7) NOT NULL,
        day         smallint NOT NULL,
        day_of_week smallint NOT NULL,
        day_name    text NOT NULL,
        is_weekend  boolean NOT NULL
      )`);
    await q(`
      INSERT INTO core.dim_date
      SELECT to_char(d, 'YYYYMMDD')::int, d::date, extract(year FROM d), extract(quarter FROM d), extract(month FROM d),
             to_char(d, 'YYYY-MM'), extract(day FROM d), extract(isodow FROM d), trim(to_char(d, 'Day')),
             extract(isodow FROM d) IN (6, 7)
        FROM generate_series(date '2016-01-01', date '2019-12-31', interval '1 day') AS d`);

    await q(`
      CREATE TABLE core.dim_customer (
        customer_unique_id text PRIMARY KEY,
        state              char(2),
        segment            text,
        segment_orders     integer,
        segment_monetary   numeric(14,2),
        segment_as_of      timestamp,
        erased_at          timestamp,
        updated_at         timestamptz NOT NULL DEFAULT now()
      )`);
    await q(`
      CREATE TABLE core.customer_ids (
        customer_id        text PRIMARY KEY,
        customer_unique_id text NOT NULL
      )`);
    await q(`CREATE INDEX customer_ids_unique_idx ON core.customer_ids (customer_unique_id)`);

    await q(`
      CREATE TABLE core.dim_product (
        product_id   text PRIMARY KEY,
        category     text NOT NULL,
        category_en  text,
        weight_g     numeric,
        length_cm    numeric,
        height_cm    numeric,
        width_cm     numeric,
        photos_qty   integer,
        exceptions   text[] NOT NULL DEFAULT '{}',
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q(`CREATE INDEX dim_product_category_idx ON core.dim_product (category)`);

    await q(`
      CREATE TABLE core.dim_seller (
        seller_id   text PRIMARY KEY,
        zip_prefix  char(5) NOT NULL,
        city        text NOT NULL,
        state       char(2) NOT NULL,
        flags       text[] NOT NULL DEFAULT '{}',
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);

    // Distinct points of the public geolocation feed; dim_geolocation is their per-prefix summary.
    await q(`
      CREATE TABLE core.geolocation_points (
        zip_prefix char(5) NOT NULL,
        lat        double precision NOT NULL,
        lng        double precision NOT NULL,
        city       text NOT NULL,
        state      char(2) NOT NULL,
        PRIMARY KEY (zip_prefix, lat, lng, city, state)
      )`);
    await q(`
      CREATE TABLE core.dim_geolocation (
        zip_prefix char(5) PRIMARY KEY,
        lat        double precision NOT NULL,
        lng        double precision NOT NULL,
        city       text NOT NULL,
        state      char(2) NOT NULL,
        points     integer NOT NULL
      )`);

    await q(`
      CREATE TABLE core.fact_orders (
        order_id              text PRIMARY KEY,
        customer_id           text,
        placed_status         text,
        purchased_at          timestamp,
        purchase_date_key     integer,
        items_count           integer,
        items_total           numeric(14,2),
        freight_total         numeric(14,2),
        order_total           numeric(14,2),
        approved_at           timestamp,
        payments_count        integer,
        payments_total        numeric(14,2),
        cancelled_status      text,
        cancelled_at          timestamp,
        delivered_at          timestamp,
        estimated_delivery_at timestamp,
        updated_at            timestamptz NOT NULL DEFAULT now()
      )`);
    await q(`CREATE INDEX fact_orders_customer_idx ON core.fact_orders (customer_id)`);
    await q(`CREATE INDEX fact_orders_purchase_idx ON core.fact_orders (purchase_date_key)`);

    await q(`
      CREATE TABLE core.fact_order_items (
        order_id          text NOT NULL,
        item_seq          integer NOT NULL,
        product_id        text NOT NULL,
        seller_id         text NOT NULL,
        price             numeric(14,2) NOT NULL,
        freight           numeric(14,2) NOT NULL,
        shipping_limit_at timestamp NOT NULL,
        purchase_date_key integer,
        PRIMARY KEY (order_id, item_seq)
      )`);
    await q(`CREATE INDEX fact_order_items_seller_idx ON core.fact_order_items (seller_id)`);
    await q(`CREATE INDEX fact_order_items_product_idx ON core.fact_order_items (product_id)`);

    await q(`
      CREATE TABLE core.fact_payments (
        order_id     text NOT NULL,
        sequential   integer NOT NULL,
        payment_type text NOT NULL,
        installments integer NOT NULL,
        value        numeric(14,2) NOT NULL,
        PRIMARY KEY (order_id, sequential)
      )`);

    await q(`
      CREATE TABLE core.fact_deliveries (
        order_id              text PRIMARY KEY,
        customer_state        char(2),
        seller_ids            text[],
        carrier_pickup_at     timestamp,
        estimated_delivery_at timestamp,
        delivered_at          timestamp,
        delay_days            integer,
        late                  boolean,
        delivery_days         numeric,
        distance_km           numeric,
        anomalies             text[] NOT NULL DEFAULT '{}',
        updated_at            timestamptz NOT NULL DEFAULT now()
      )`);

    await q(`
      CREATE TABLE core.fact_reviews (
        review_id   text NOT NULL,
        order_id    text NOT NULL,
        score       smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
        created_at  timestamp NOT NULL,
        answered_at timestamp,
        has_comment boolean NOT NULL,
        PRIMARY KEY (review_id, order_id)
      )`);
    await q(`CREATE INDEX fact_reviews_order_idx ON core.fact_reviews (order_id)`);

    await q(`
      CREATE TABLE core.load_checks (
        load_id     text PRIMARY KEY,
        gate        text NOT NULL,
        unchanged   boolean NOT NULL,
        files       jsonb NOT NULL,
        checked_at  timestamp NOT NULL
      )`);

    // Events applied per stream (one row each, so consumers of different streams never wait on
    // one another), and the build of the derived tables: built from how many applied events, when.
    await q(`
      CREATE TABLE core.projection_state (
        stream         text PRIMARY KEY,
        applied_events bigint NOT NULL DEFAULT 0
      )`);
    await q(`
      CREATE TABLE core.mart_build (
        id          smallint PRIMARY KEY CHECK (id = 1),
        built_from  bigint NOT NULL DEFAULT 0,
        built_at    timestamptz,
        build_ms    integer
      )`);
    await q(`INSERT INTO core.mart_build (id) VALUES (1)`);

    await q(`
      CREATE TABLE mart.revenue_monthly (
        month    char(7) PRIMARY KEY,
        orders   integer NOT NULL,
        items    integer NOT NULL,
        price    numeric(14,2) NOT NULL,
        freight  numeric(14,2) NOT NULL,
        gmv      numeric(14,2) NOT NULL,
        payments numeric(14,2) NOT NULL,
        aov      numeric(14,2)
      )`);
    await q(`
      CREATE TABLE mart.category_revenue_monthly (
        month       char(7) NOT NULL,
        category    text NOT NULL,
        category_en text,
        orders      integer NOT NULL,
        items       integer NOT NULL,
        price       numeric(14,2) NOT NULL,
        freight     numeric(14,2) NOT NULL,
        gmv         numeric(14,2) NOT NULL,
        PRIMARY KEY (month, category)
      )`);
    await q(`CREATE INDEX category_revenue_monthly_category_idx ON mart.category_revenue_monthly (category, month)`);
    await q(`
      CREATE TABLE mart.delivery_by_state (
        state             char(2) PRIMARY KEY,
        delivered         integer NOT NULL,
        late              integer NOT NULL,
        late_rate         numeric NOT NULL,
        avg_delivery_days numeric NOT NULL
      )`);
    await q(`
      CREATE TABLE mart.seller_scorecard (
        seller_id         text PRIMARY KEY,
        state             char(2),
        orders            integer NOT NULL,
        items             integer NOT NULL,
        revenue           numeric(14,2) NOT NULL,
        freight           numeric(14,2) NOT NULL,
        delivered         integer NOT NULL,
        late              integer NOT NULL,
        late_rate         numeric,
        avg_delivery_days numeric,
        reviews           integer NOT NULL,
        avg_review_score  numeric,
        first_sale        date,
        last_sale         date
      )`);
    await q(`CREATE INDEX seller_scorecard_state_idx ON mart.seller_scorecard (state, revenue DESC)`);
    await q(`CREATE INDEX seller_scorecard_revenue_idx ON mart.seller_scorecard (revenue DESC, seller_id)`);
    await q(`
      CREATE TABLE mart.payment_mix (
        month            char(7) NOT NULL,
        payment_type     text NOT NULL,
        payments         integer NOT NULL,
        orders           integer NOT NULL,
        value            numeric(14,2) NOT NULL,
        avg_installments numeric NOT NULL,
        PRIMARY KEY (month, payment_type)
      )`);
    await q(`
      CREATE TABLE mart.reviews_vs_delay (
        bucket          text PRIMARY KEY,
        bucket_order    smallint NOT NULL UNIQUE,
        min_delay_days  integer,
        max_delay_days  integer,
        orders          integer NOT NULL,
        reviews         integer NOT NULL,
        avg_score       numeric,
        low_score_share numeric
      )`);
    await q(`
      CREATE TABLE mart.customer_segments (
        state     char(2) NOT NULL,
        segment   text NOT NULL,
        customers integer NOT NULL,
        orders    integer NOT NULL,
        monetary  numeric(14,2) NOT NULL,
        PRIMARY KEY (state, segment)
      )`);
    await q(`
      CREATE TABLE mart.rfm (
        customer_unique_id text PRIMARY KEY,
        state              char(2),
        last_order_at      timestamp NOT NULL,
        recency_days       integer NOT NULL,
        frequency          integer NOT NULL,
        monetary           numeric(14,2) NOT NULL,
        r_score            smallint NOT NULL,
        f_score            smallint NOT NULL,
        m_score            smallint NOT NULL,
        rfm_cell           char(3) NOT NULL
      )`);
    await q(`CREATE INDEX rfm_cell_idx ON mart.rfm (rfm_cell)`);
    await q(`CREATE INDEX rfm_state_idx ON mart.rfm (state, monetary DESC)`);
    await q(`
      CREATE TABLE mart.cohort_retention (
        cohort         char(7) NOT NULL,
        months_since   smallint NOT NULL,
        cohort_size    integer NOT NULL,
        customers      integer NOT NULL,
        retention      numeric NOT NULL,
        PRIMARY KEY (cohort, months_since)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['revenue_monthly', 'category_revenue_monthly', 'delivery_by_state', 'seller_scorecard', 'payment_mix', 'reviews_vs_delay', 'customer_segments', 'rfm', 'cohort_retention']) {
      await runner.query(`DROP TABLE mart.${table}`);
    }
    for (const table of [
      'mart_build', 'projection_state', 'load_checks', 'fact_reviews', 'fact_deliveries', 'fact_payments', 'fact_order_items', 'fact_orders',
      'dim_geolocation', 'geolocation_points', 'dim_seller', 'dim_product', 'customer_ids', 'dim_customer', 'dim_date',
    ]) {
      await runner.query(`DROP TABLE core.${table}`);
    }
  }
}
