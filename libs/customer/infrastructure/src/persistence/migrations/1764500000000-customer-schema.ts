import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The customer model: persons (customer_unique_id), their per-order customer ids, the reviews,
 * and the refusals of the import. Zip prefix, city, review title and message are personal data:
 * stored encrypted (PiiCipher) next to a keyed hash of the plain value, so a re-load tells
 * "unchanged" without decrypting.
 */
export class CustomerSchema1764500000000 implements MigrationInterface {
  readonly name = 'CustomerSchema1764500000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE customer.customers (
        customer_unique_id text PRIMARY KEY,
        customer_ids       text[] NOT NULL CHECK (cardinality(customer_ids) > 0),
        state              char(2) NOT NULL,
        updated_at         timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE customer.customer_ids (
        customer_id        text PRIMARY KEY,
        customer_unique_id text NOT NULL,
        state              char(2) NOT NULL,
        zip_prefix         bytea NOT NULL,
        zip_prefix_hash    bytea NOT NULL,
        city               bytea NOT NULL,
        city_hash          bytea NOT NULL,
        updated_at         timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX customer_ids_unique_idx ON customer.customer_ids (customer_unique_id)`);
    await runner.query(`
      CREATE TABLE customer.reviews (
        review_id    text NOT NULL,
        order_id     text NOT NULL,
        score        smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
        title        bytea,
        title_hash   bytea,
        message      bytea,
        message_hash bytea,
        has_comment  boolean NOT NULL,
        created_at   timestamptz NOT NULL,
        answered_at  timestamptz,
        updated_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (review_id, order_id)
      )`);
    await runner.query(`CREATE INDEX reviews_order_idx ON customer.reviews (order_id)`);
    // Refused rows only; the message names the row and the reason, never a personal value.
    await runner.query(`
      CREATE TABLE customer.import_exceptions (
        file        text NOT NULL,
        entity_id   text NOT NULL,
        code        text NOT NULL,
        message     text NOT NULL,
        load_id     text NOT NULL,
        line        integer NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (file, entity_id, code)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE customer.import_exceptions, customer.reviews, customer.customer_ids, customer.customers`);
  }
}
