import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The stream sequence of the customer-segment-changed a person's segment comes from: a segment
 * event older than the one applied (a re-driven dead letter, a redelivery) leaves the person as is.
 */
export class WarehouseSegmentOrder1764820000000 implements MigrationInterface {
  readonly name = 'WarehouseSegmentOrder1764820000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE core.dim_customer ADD COLUMN segment_seq bigint`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE core.dim_customer DROP COLUMN segment_seq`);
  }
}
