import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The zip prefixes of `fulfillment.geo_log` and `fulfillment.centroid_due` compare byte by byte
 * (collation "C"): every point a geolocation batch logs is inserted into the log's prefix index,
 * and under the database's collation each comparison on the way down the index went through the
 * locale (strcoll): about a quarter of the batch statement's time under an en-US collation, some
 * 7 % under C.UTF-8. Five-digit prefixes sort and compare the same either way, so no result
 * changes. Only the index is rebuilt; the table keeps its rows.
 */
export class FulfillmentGeolocationByteOrder1764870000000 implements MigrationInterface {
  readonly name = 'FulfillmentGeolocationByteOrder1764870000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE fulfillment.geo_log ALTER COLUMN zip_prefix TYPE char(5) COLLATE "C"`);
    await runner.query(`ALTER TABLE fulfillment.centroid_due ALTER COLUMN zip_prefix TYPE char(5) COLLATE "C"`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE fulfillment.centroid_due ALTER COLUMN zip_prefix TYPE char(5) COLLATE "default"`);
    await runner.query(`ALTER TABLE fulfillment.geo_log ALTER COLUMN zip_prefix TYPE char(5) COLLATE "default"`);
  }
}
