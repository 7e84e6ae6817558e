import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Metrics and segments: the customer's own facts of the sales orders (from sales events, through
 * the ACL), the segment of each person, and the one-row bookkeeping of the recomputation.
 */
export class CustomerSegments1764600000000 implements MigrationInterface {
  readonly name = 'CustomerSegments1764600000000';

  async up(runner: QueryRunner): Promise<void> {
    // One row per order; a cancellation may arrive before (or without) the placement, so the
    // placement columns are nullable. placed_seq: stream sequence of the order-placed applied.
    await runner.query(`
      CREATE TABLE customer.order_facts (
        order_id     text PRIMARY KEY,
        customer_id  text,
        purchased_at timestamptz,
        order_total  numeric(14,2) CHECK (order_total >= 0),
        placed_seq   bigint,
        cancelled    boolean NOT NULL DEFAULT false,
        updated_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX order_facts_customer_idx ON customer.order_facts (customer_id)`);
    await runner.query(`
      CREATE TABLE customer.segments (
        customer_unique_id text PRIMARY KEY,
        segment            text NOT NULL CHECK (segment IN ('VIP', 'LOYAL', 'REGULAR', 'ONE_TIME', 'NEW', 'CHURNED')),
        orders             integer NOT NULL CHECK (orders >= 0),
        monetary           numeric(14,2) NOT NULL,
        last_order_at      timestamptz,
        as_of              timestamptz NOT NULL,
        updated_at         timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX segments_segment_idx ON customer.segments (segment)`);
    // generation moves with every change of the inputs; computed_generation is the generation the
    // segments reflect. touched_at tells the recomputer whether the inputs are still moving.
    await runner.query(`
      CREATE TABLE customer.segment_work (
        id                  boolean PRIMARY KEY DEFAULT true CHECK (id),
        generation          bigint NOT NULL DEFAULT 0,
        computed_generation bigint NOT NULL DEFAULT 0,
        touched_at          timestamptz NOT NULL DEFAULT now(),
        as_of               timestamptz,
        computed_at         timestamptz
      )`);
    // Customers imported before this migration have no segment yet: start dirty.
    await runner.query(`INSERT INTO customer.segment_work (generation) VALUES (1)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE customer.segment_work, customer.segments, customer.order_facts`);
  }
}
