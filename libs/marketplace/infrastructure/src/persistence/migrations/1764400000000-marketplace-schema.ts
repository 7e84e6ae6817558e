import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The marketplace model: products, sellers, the category translations, and the source-data
 * exceptions of the import (accepted with a reason, or refused).
 */
export class MarketplaceSchema1764400000000 implements MigrationInterface {
  readonly name = 'MarketplaceSchema1764400000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE marketplace.category_translations (
        category    text PRIMARY KEY,
        category_en text NOT NULL CHECK (category_en <> ''),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE marketplace.products (
        product_id  text PRIMARY KEY,
        category    text NOT NULL CHECK (category <> ''),
        category_en text,
        weight_g    numeric CHECK (weight_g > 0),
        length_cm   numeric CHECK (length_cm > 0),
        height_cm   numeric CHECK (height_cm > 0),
        width_cm    numeric CHECK (width_cm > 0),
        photos_qty  integer CHECK (photos_qty >= 0),
        exceptions  text[] NOT NULL DEFAULT '{}',
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX products_category_idx ON marketplace.products (category, product_id)`);
    await runner.query(`
      CREATE TABLE marketplace.sellers (
        seller_id      text PRIMARY KEY,
        zip_prefix     char(5) NOT NULL CHECK (zip_prefix ~ '^[0-9]{5}$'),
        zip_prefix_raw text NOT NULL,
        city_raw       text NOT NULL,
        city           text,
        city_flag      text,
        state          char(2) NOT NULL,
        flags          text[] NOT NULL DEFAULT '{}',
        updated_at     timestamptz NOT NULL DEFAULT now()
      )`);
    // One row per entity and reason: what the import accepted with a warning (outcome 'accepted')
    // or refused (outcome 'refused'); entity_id is "line <n>" when the row had no usable id.
    await runner.query(`
      CREATE TABLE marketplace.import_exceptions (
        file        text NOT NULL,
        entity_id   text NOT NULL,
        code        text NOT NULL,
        outcome     text NOT NULL CHECK (outcome IN ('accepted', 'refused')),
        message     text NOT NULL,
        load_id     text NOT NULL,
        line        integer NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (file, entity_id, code)
      )`);
    await runner.query(`
      CREATE VIEW marketplace.untranslated_categories AS
        SELECT p.category, count(*)::int AS products
          FROM marketplace.products p
         WHERE p.category <> 'uncategorized'
           AND NOT EXISTS (SELECT 1 FROM marketplace.category_translations t WHERE t.category = p.category)
         GROUP BY p.category`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP VIEW marketplace.untranslated_categories`);
    await runner.query(`DROP TABLE marketplace.import_exceptions, marketplace.sellers, marketplace.products, marketplace.category_translations`);
  }
}
