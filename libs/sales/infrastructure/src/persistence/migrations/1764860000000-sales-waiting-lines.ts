import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Items and payments whose order has not arrived are kept where they belong, in
 * `sales.order_items` / `sales.order_payments`, waiting for their order: the foreign keys to
 * `sales.orders` go, the lines of the pending area move over and the pending tables are dropped.
 * An order row is what makes its lines count (every total is read from `sales.orders`). Down moves
 * the lines without an order back into the pending area (their source line is not known any more:
 * load `unknown`, line 0) and restores the keys.
 */
export class SalesWaitingLines1764860000000 implements MigrationInterface {
  readonly name = 'SalesWaitingLines1764860000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE sales.order_items DROP CONSTRAINT order_items_order_id_fkey`);
    await runner.query(`ALTER TABLE sales.order_payments DROP CONSTRAINT order_payments_order_id_fkey`);
    await runner.query(`
      INSERT INTO sales.order_items (order_id, item_seq, product_id, seller_id, shipping_limit_at, price_centavos, freight_centavos)
      SELECT order_id, item_seq, product_id, seller_id, shipping_limit_at, price_centavos, freight_centavos FROM sales.pending_items
      ON CONFLICT (order_id, item_seq) DO NOTHING`);
    await runner.query(`
      INSERT INTO sales.order_payments (order_id, sequential, payment_type, installments, value_centavos)
      SELECT order_id, sequential, payment_type, installments, value_centavos FROM sales.pending_payments
      ON CONFLICT (order_id, sequential) DO NOTHING`);
    await runner.query(`DROP TABLE sales.pending_items, sales.pending_payments`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE sales.pending_items (
        order_id          text NOT NULL,
        item_seq          integer NOT NULL,
        product_id        text NOT NULL,
        seller_id         text NOT NULL,
        shipping_limit_at timestamptz NOT NULL,
        price_centavos    bigint NOT NULL,
        freight_centavos  bigint NOT NULL,
        load_id           text NOT NULL,
        line              integer NOT NULL,
        received_at       timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (order_id, item_seq)
      )`);
    await runner.query(`
      CREATE TABLE sales.pending_payments (
        order_id       text NOT NULL,
        sequential     integer NOT NULL,
        payment_type   text NOT NULL,
        installments   integer NOT NULL,
        value_centavos bigint NOT NULL,
        load_id        text NOT NULL,
        line           integer NOT NULL,
        received_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (order_id, sequential)
      )`);
    await runner.query(`
      WITH moved AS (
        DELETE FROM sales.order_items i WHERE NOT EXISTS (SELECT 1 FROM sales.orders o WHERE o.order_id = i.order_id) RETURNING i.*
      )
      INSERT INTO sales.pending_items (order_id, item_seq, product_id, seller_id, shipping_limit_at, price_centavos, freight_centavos, load_id, line)
      SELECT order_id, item_seq, product_id, seller_id, shipping_limit_at, price_centavos, freight_centavos, 'unknown', 0 FROM moved`);
    await runner.query(`
      WITH moved AS (
        DELETE FROM sales.order_payments p WHERE NOT EXISTS (SELECT 1 FROM sales.orders o WHERE o.order_id = p.order_id) RETURNING p.*
      )
      INSERT INTO sales.pending_payments (order_id, sequential, payment_type, installments, value_centavos, load_id, line)
      SELECT order_id, sequential, payment_type, installments, value_centavos, 'unknown', 0 FROM moved`);
    await runner.query(
      `ALTER TABLE sales.order_items ADD CONSTRAINT order_items_order_id_fkey FOREIGN KEY (order_id) REFERENCES sales.orders (order_id) ON DELETE CASCADE`,
    );
    await runner.query(
      `ALTER TABLE sales.order_payments ADD CONSTRAINT order_payments_order_id_fkey FOREIGN KEY (order_id) REFERENCES sales.orders (order_id) ON DELETE CASCADE`,
    );
  }
}
