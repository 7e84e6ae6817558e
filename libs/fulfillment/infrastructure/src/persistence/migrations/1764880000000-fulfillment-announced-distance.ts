import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the stream was last told of each shipment's distance: `announced_distance_km` is the
 * distance its last shipment-dispatched, delivery-completed or shipment-distance-changed event
 * carried, and `distance_revision` counts the shipment-distance-changed events written for it (their
 * ids derive from it, so a distance that changes back is announced again). A shipment whose
 * distance is refreshed after such an event was published gets a shipment-distance-changed event.
 * Shipments published before this migration have no announced distance: the fulfillment service
 * announces theirs when it starts (`FulfillmentImportHandler.announceUnannounced`).
 */
export class FulfillmentAnnouncedDistance1764880000000 implements MigrationInterface {
  readonly name = 'FulfillmentAnnouncedDistance1764880000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE fulfillment.shipments
        ADD COLUMN announced_distance_km double precision,
        ADD COLUMN distance_revision integer NOT NULL DEFAULT 0`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE fulfillment.shipments DROP COLUMN distance_revision, DROP COLUMN announced_distance_km`);
  }
}
