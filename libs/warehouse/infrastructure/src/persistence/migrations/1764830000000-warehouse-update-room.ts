import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Room on each page for the later versions of rows that several events fill in one after the
 * other: an order is placed, approved, paid and delivered; a delivery and a person's segment are
 * written again when they change. None of those updates touches an indexed column, so with free
 * space on the page PostgreSQL keeps the new version there (a HOT update) instead of adding an
 * entry to every index. Applies to pages written from now on.
 */
export class WarehouseUpdateRoom1764830000000 implements MigrationInterface {
  readonly name = 'WarehouseUpdateRoom1764830000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE core.fact_orders SET (fillfactor = 50)`);
    await runner.query(`ALTER TABLE core.fact_deliveries SET (fillfactor = 70)`);
    await runner.query(`ALTER TABLE core.dim_customer SET (fillfactor = 70)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of ['core.fact_orders', 'core.fact_deliveries', 'core.dim_customer']) await runner.query(`ALTER TABLE ${table} RESET (fillfactor)`);
  }
}
