import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Geolocation points kept as a log instead of a set: `fulfillment.geo_log` takes each batch's
 * inside-Brazil points as they come (no uniqueness check per row, which made the point inserts
 * the largest statement of a load), `fulfillment.centroid_due` lists the prefixes that received
 * points since their centroid was last worked out (a prefix may be listed more than once), and the centroid of such a prefix is
 * recomputed from the distinct points of the log before shipments read it. The centroid is the
 * same as before: the mean of the distinct inside-Brazil points of the prefix.
 */
export class FulfillmentGeolocationLog1764850000000 implements MigrationInterface {
  readonly name = 'FulfillmentGeolocationLog1764850000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE fulfillment.geo_log (
        zip_prefix char(5) NOT NULL,
        lat        numeric NOT NULL,
        lng        numeric NOT NULL
      )`);
    await runner.query(`INSERT INTO fulfillment.geo_log (zip_prefix, lat, lng) SELECT zip_prefix, trim_scale(lat), trim_scale(lng) FROM fulfillment.geo_points WHERE inside`);
    await runner.query(`CREATE INDEX geo_log_prefix_idx ON fulfillment.geo_log (zip_prefix)`);
    // No key: a batch appends its prefixes without waiting for a settling transaction that is
    // taking the listed ones (a unique key would make it wait for that commit).
    await runner.query(`CREATE TABLE fulfillment.centroid_due (zip_prefix char(5) NOT NULL)`);
    await runner.query(`DROP TABLE fulfillment.geo_points`);
  }

  async down(runner: QueryRunner): Promise<void> {
    // Centroids still due are worked out first: the earlier schema keeps them current per batch.
    await runner.query(`
      INSERT INTO fulfillment.zip_centroids AS t (zip_prefix, lat_sum, lng_sum, points)
      SELECT zip_prefix, sum(lat), sum(lng), count(*)
        FROM (SELECT DISTINCT l.zip_prefix, l.lat, l.lng FROM fulfillment.geo_log l WHERE l.zip_prefix IN (SELECT zip_prefix FROM fulfillment.centroid_due)) p
       GROUP BY zip_prefix
      ON CONFLICT (zip_prefix) DO UPDATE SET lat_sum = EXCLUDED.lat_sum, lng_sum = EXCLUDED.lng_sum, points = EXCLUDED.points`);
    await runner.query(`
      INSERT INTO fulfillment.stale_prefixes (zip_prefix) SELECT DISTINCT zip_prefix::text FROM fulfillment.centroid_due ON CONFLICT DO NOTHING`);
    await runner.query(`
      CREATE TABLE fulfillment.geo_points (
        zip_prefix char(5) NOT NULL,
        lat        numeric NOT NULL,
        lng        numeric NOT NULL,
        inside     boolean NOT NULL,
        PRIMARY KEY (zip_prefix, lat, lng)
      )`);
    // Points outside Brazil were never logged: the set gets the inside ones only (they alone count).
    await runner.query(`INSERT INTO fulfillment.geo_points (zip_prefix, lat, lng, inside) SELECT DISTINCT zip_prefix, lat, lng, true FROM fulfillment.geo_log`);
    await runner.query(`DROP TABLE fulfillment.centroid_due, fulfillment.geo_log`);
  }
}
