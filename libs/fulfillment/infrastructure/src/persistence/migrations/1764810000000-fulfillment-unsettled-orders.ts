import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The shipments whose context (customer state, distance) and due events have not been worked out
 * since their order, items, customer or sellers last arrived. Import batches record them here; they
 * are settled — context refreshed, events written — once the import consumer reaches the end of its
 * stream, so a shipment touched by several files in one load is settled once, not once per file.
 */
export class FulfillmentUnsettledOrders1764810000000 implements MigrationInterface {
  readonly name = 'FulfillmentUnsettledOrders1764810000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE fulfillment.unsettled_orders (order_id text PRIMARY KEY)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    // Orders still listed keep their context and events as they are until their rows arrive again.
    await runner.query(`DROP TABLE fulfillment.unsettled_orders`);
  }
}
