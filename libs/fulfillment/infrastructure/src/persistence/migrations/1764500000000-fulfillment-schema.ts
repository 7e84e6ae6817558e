import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The fulfillment model: shipments with their SLA and seller → customer distance, the zip-prefix
 * centroids built from the geolocation file, and the references the raw feed gives in other
 * files (customer and seller zip prefixes, the sellers of an order). Of a customer only the zip
 * prefix and state are kept.
 */
export class FulfillmentSchema1764500000000 implements MigrationInterface {
  readonly name = 'FulfillmentSchema1764500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE fulfillment.shipments (
        order_id              text PRIMARY KEY,
        customer_id           text NOT NULL,
        order_status          text NOT NULL,
        status                text NOT NULL CHECK (status IN ('pending', 'shipped', 'delivered')),
        purchased_at          timestamptz,
        carrier_pickup_at     timestamptz,
        delivered_at          timestamptz,
        estimated_delivery_at timestamptz,
        delay_days            integer,
        late                  boolean,
        delivery_days         numeric,
        anomalies             text[] NOT NULL DEFAULT '{}',
        customer_state        char(2),
        distance_km           double precision CHECK (distance_km >= 0),
        dispatched_event_id   uuid,
        completed_event_id    uuid,
        delayed_event_id      uuid,
        updated_at            timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX shipments_customer_idx ON fulfillment.shipments (customer_id)`);
    await runner.query(`
      CREATE TABLE fulfillment.customer_zips (
        customer_id text PRIMARY KEY,
        zip_prefix  char(5) NOT NULL CHECK (zip_prefix ~ '^[0-9]{5}$'),
        state       char(2) NOT NULL
      )`);
    await runner.query(`CREATE INDEX customer_zips_zip_idx ON fulfillment.customer_zips (zip_prefix)`);
    await runner.query(`
      CREATE TABLE fulfillment.seller_zips (
        seller_id  text PRIMARY KEY,
        zip_prefix char(5) NOT NULL CHECK (zip_prefix ~ '^[0-9]{5}$')
      )`);
    await runner.query(`CREATE INDEX seller_zips_zip_idx ON fulfillment.seller_zips (zip_prefix)`);
    // The sellers of an order's items; first_item is the lowest order_item_id of the seller.
    await runner.query(`
      CREATE TABLE fulfillment.order_sellers (
        order_id   text NOT NULL,
        seller_id  text NOT NULL,
        first_item integer NOT NULL,
        PRIMARY KEY (order_id, seller_id)
      )`);
    await runner.query(`CREATE INDEX order_sellers_seller_idx ON fulfillment.order_sellers (seller_id)`);
    // Every distinct geolocation point seen: re-applied rows add nothing to the centroids.
    await runner.query(`
      CREATE TABLE fulfillment.geo_points (
        zip_prefix char(5) NOT NULL,
        lat        numeric NOT NULL,
        lng        numeric NOT NULL,
        inside     boolean NOT NULL,
        PRIMARY KEY (zip_prefix, lat, lng)
      )`);
    // Exact running sums of the distinct inside-Brazil points of each prefix (the order batches
    // arrive in cannot change them): the centroid is their mean.
    await runner.query(`
      CREATE TABLE fulfillment.zip_centroids (
        zip_prefix char(5) PRIMARY KEY,
        lat_sum    numeric NOT NULL,
        lng_sum    numeric NOT NULL,
        points     integer NOT NULL CHECK (points > 0),
        lat        double precision GENERATED ALWAYS AS ((lat_sum / points)::float8) STORED,
        lng        double precision GENERATED ALWAYS AS ((lng_sum / points)::float8) STORED
      )`);
    // Per raw-feed batch of the geolocation file: rows received, and those excluded as a duplicate
    // point, a point outside Brazil, or unreadable. Written once per batch.
    await runner.query(`
      CREATE TABLE fulfillment.geolocation_batches (
        load_id    text NOT NULL,
        batch      integer NOT NULL,
        rows       integer NOT NULL DEFAULT 0,
        duplicates integer NOT NULL DEFAULT 0,
        outside    integer NOT NULL DEFAULT 0,
        unreadable integer NOT NULL DEFAULT 0,
        PRIMARY KEY (load_id, batch)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `DROP TABLE fulfillment.geolocation_batches, fulfillment.zip_centroids, fulfillment.geo_points, fulfillment.order_sellers, fulfillment.seller_zips, fulfillment.customer_zips, fulfillment.shipments`,
    );
  }
}
