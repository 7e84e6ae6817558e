import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Room on each page of the shipments for their later versions: a shipment is written when its
 * order arrives, then again when its context is settled and when each of its events is recorded.
 * None of those updates touches an indexed column, so with free space on the page PostgreSQL keeps
 * the new version there (a HOT update) instead of adding an entry to every index. Applies to pages
 * written from now on.
 */
export class FulfillmentUpdateRoom1764830000000 implements MigrationInterface {
  readonly name = 'FulfillmentUpdateRoom1764830000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE fulfillment.shipments SET (fillfactor = 50)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE fulfillment.shipments RESET (fillfactor)`);
  }
}
