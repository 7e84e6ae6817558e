import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The sales model: orders with their items and payments (money in integer centavos), the pending
 * area for items and payments whose order has not arrived yet, and the rows the import refused.
 */
export class SalesSchema1764300000000 implements MigrationInterface {
  readonly name = 'SalesSchema1764300000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE sales.orders (
        order_id                    text PRIMARY KEY,
        customer_id                 text NOT NULL,
        status                      text NOT NULL CHECK (status IN ('created', 'approved', 'invoiced', 'processing', 'shipped', 'delivered', 'canceled', 'unavailable')),
        purchased_at                timestamptz NOT NULL,
        approved_at                 timestamptz,
        delivered_carrier_at        timestamptz,
        delivered_customer_at       timestamptz,
        estimated_delivery_at       timestamptz,
        item_count                  integer NOT NULL,
        payment_count               integer NOT NULL,
        items_total_centavos        bigint NOT NULL,
        freight_total_centavos      bigint NOT NULL,
        order_total_centavos        bigint NOT NULL,
        payments_total_centavos     bigint NOT NULL,
        payment_difference_centavos bigint NOT NULL,
        issues                      jsonb NOT NULL DEFAULT '[]'::jsonb,
        updated_at                  timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX orders_customer_idx ON sales.orders (customer_id, purchased_at)`);
    await runner.query(`
      CREATE TABLE sales.order_items (
        order_id          text NOT NULL REFERENCES sales.orders (order_id) ON DELETE CASCADE,
        item_seq          integer NOT NULL CHECK (item_seq >= 1),
        product_id        text NOT NULL,
        seller_id         text NOT NULL,
        shipping_limit_at timestamptz NOT NULL,
        price_centavos    bigint NOT NULL CHECK (price_centavos >= 0),
        freight_centavos  bigint NOT NULL CHECK (freight_centavos >= 0),
        PRIMARY KEY (order_id, item_seq)
      )`);
    await runner.query(`
      CREATE TABLE sales.order_payments (
        order_id       text NOT NULL REFERENCES sales.orders (order_id) ON DELETE CASCADE,
        sequential     integer NOT NULL CHECK (sequential >= 1),
        payment_type   text NOT NULL,
        installments   integer NOT NULL CHECK (installments >= 0),
        value_centavos bigint NOT NULL CHECK (value_centavos >= 0),
        PRIMARY KEY (order_id, sequential)
      )`);
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
      CREATE TABLE sales.import_rejections (
        id          bigserial PRIMARY KEY,
        load_id     text NOT NULL,
        file        text NOT NULL,
        line        integer NOT NULL,
        order_id    text,
        code        text NOT NULL,
        message     text NOT NULL,
        rejected_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (load_id, file, line, code)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(
      `DROP TABLE sales.import_rejections, sales.pending_payments, sales.pending_items, sales.order_payments, sales.order_items, sales.orders`,
    );
  }
}
