import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The zip prefixes whose centroid changed since the distances were last refreshed. A geolocation
 * batch only adds its points to the centroids and records the prefixes it changed here; the
 * distances of the shipments with a customer or seller in them are recomputed, and the prefixes
 * removed, once the import consumer has reached the end of its stream (a centroid never decides
 * which events are due, only the distance they carry).
 */
export class FulfillmentStalePrefixes1764800000000 implements MigrationInterface {
  readonly name = 'FulfillmentStalePrefixes1764800000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE fulfillment.stale_prefixes (zip_prefix text PRIMARY KEY)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    // Prefixes still recorded are forgotten: their shipments keep the distance they have until
    // their order, customer or sellers arrive again.
    await runner.query(`DROP TABLE fulfillment.stale_prefixes`);
  }
}
