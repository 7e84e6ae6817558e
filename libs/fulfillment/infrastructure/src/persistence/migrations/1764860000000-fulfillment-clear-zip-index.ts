import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An index of the customers whose zip prefix is still stored in clear (written before
 * `FulfillmentSealedCustomerZips1764700000000`): the import handler looks for them before each
 * batch, which without it read the whole table every time to find none.
 */
export class FulfillmentClearZipIndex1764860000000 implements MigrationInterface {
  readonly name = 'FulfillmentClearZipIndex1764860000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE INDEX customer_zips_clear_idx ON fulfillment.customer_zips (customer_id) WHERE zip_prefix IS NOT NULL`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX fulfillment.customer_zips_clear_idx`);
  }
}
