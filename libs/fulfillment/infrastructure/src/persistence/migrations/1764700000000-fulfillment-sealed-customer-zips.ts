import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A customer's zip prefix is personal data: it is no longer kept in clear. `zip_sealed` holds it
 * encrypted (AES-256-GCM under OLIST_FEED_KEYS, the customer id as associated text) for the
 * distance, `zip_ref` a keyed hash (HMAC) of it to find the customers of a zip prefix whose
 * centroid changed. Rows written in clear before are sealed by the import handler at its next
 * batch (the key is not available to SQL), which then clears `zip_prefix`. Refused raw-feed rows
 * are now recorded in `import_exceptions`, with a reason that never quotes a customer's value.
 */
export class FulfillmentSealedCustomerZips1764700000000 implements MigrationInterface {
  readonly name = 'FulfillmentSealedCustomerZips1764700000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE fulfillment.customer_zips
        ALTER COLUMN zip_prefix DROP NOT NULL,
        ADD COLUMN zip_sealed bytea,
        ADD COLUMN zip_ref bytea,
        ADD CONSTRAINT customer_zips_sealed CHECK ((zip_prefix IS NULL) = (zip_sealed IS NOT NULL AND zip_ref IS NOT NULL))`);
    await runner.query(`DROP INDEX fulfillment.customer_zips_zip_idx`);
    await runner.query(`CREATE INDEX customer_zips_ref_idx ON fulfillment.customer_zips (zip_ref)`);
    await runner.query(`CREATE INDEX customer_zips_clear_idx ON fulfillment.customer_zips (customer_id) WHERE zip_prefix IS NOT NULL`);
    await runner.query(`
      CREATE TABLE fulfillment.import_exceptions (
        load_id     text NOT NULL,
        file        text NOT NULL,
        line        integer NOT NULL,
        code        text NOT NULL,
        message     text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (load_id, file, line, code)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE fulfillment.import_exceptions`);
    await runner.query(`DROP INDEX fulfillment.customer_zips_clear_idx`);
    await runner.query(`DROP INDEX fulfillment.customer_zips_ref_idx`);
    // Sealed rows cannot be opened in SQL: they are dropped and come back with the next load of customers.
    await runner.query(`DELETE FROM fulfillment.customer_zips WHERE zip_prefix IS NULL`);
    await runner.query(`
      ALTER TABLE fulfillment.customer_zips
        DROP CONSTRAINT customer_zips_sealed, DROP COLUMN zip_ref, DROP COLUMN zip_sealed, ALTER COLUMN zip_prefix SET NOT NULL`);
    await runner.query(`CREATE INDEX customer_zips_zip_idx ON fulfillment.customer_zips (zip_prefix)`);
  }
}
