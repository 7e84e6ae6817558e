import type { SqlTx } from '@olist/messaging';
import { type CategoryTranslation, Product, Seller } from '@olist/marketplace-domain';
import type { ImportException } from '../messaging/olist-import.acl';

interface ProductRow {
  product_id: string;
  category: string;
  weight_g: string | null;
  length_cm: string | null;
  height_cm: string | null;
  width_cm: string | null;
  photos_qty: number | null;
  exceptions: string[];
}

interface SellerRow {
  seller_id: string;
  zip_prefix_raw: string;
  city_raw: string;
  state: string;
}

const num = (v: string | null) => (v === null ? null : Number(v));

function must<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(`stored catalog data no longer valid: ${result.error.message}`);
  return result.value;
}

/**
 * Reads and writes the catalog a whole batch at a time: one `= ANY($1)` select and one
 * `json_to_recordset` upsert per table, whatever the number of entities.
 */
export class CatalogStore {
  async loadProducts(tx: SqlTx, ids: readonly string[]): Promise<Map<string, Product>> {
    if (ids.length === 0) return new Map();
    const rows = await tx.query<ProductRow>(`SELECT * FROM marketplace.products WHERE product_id = ANY($1::text[])`, [[...ids]]);
    return new Map(
      rows.map((r) => [
        r.product_id,
        must(
          Product.create({
            productId: r.product_id,
            category: r.category,
            dimensions: { weightG: num(r.weight_g), lengthCm: num(r.length_cm), heightCm: num(r.height_cm), widthCm: num(r.width_cm) },
            photosQty: r.photos_qty,
            exceptions: r.exceptions,
          }),
        ),
      ]),
    );
  }

  async loadSellers(tx: SqlTx, ids: readonly string[]): Promise<Map<string, Seller>> {
    if (ids.length === 0) return new Map();
    const rows = await tx.query<SellerRow>(`SELECT seller_id, zip_prefix_raw, city_raw, state FROM marketplace.sellers WHERE seller_id = ANY($1::text[])`, [[...ids]]);
    return new Map(rows.map((r) => [r.seller_id, must(Seller.register({ sellerId: r.seller_id, zipPrefix: r.zip_prefix_raw, city: r.city_raw, state: r.state }))]));
  }

  /** The English names of those of `categories` that have one. */
  async translationsOf(tx: SqlTx, categories: readonly string[]): Promise<Map<string, string>> {
    if (categories.length === 0) return new Map();
    const rows = await tx.query<{ category: string; category_en: string }>(
      `SELECT category, category_en FROM marketplace.category_translations WHERE category = ANY($1::text[])`,
      [[...categories]],
    );
    return new Map(rows.map((r) => [r.category, r.category_en]));
  }

  /** Upserts translations, fills the English name of the products already stored in them, and returns the categories whose translation was new or changed. */
  async saveTranslations(tx: SqlTx, translations: readonly CategoryTranslation[]): Promise<string[]> {
    if (translations.length === 0) return [];
    const records = JSON.stringify(translations.map((t) => ({ category: t.category, category_en: t.categoryEn })));
    const written = await tx.query<{ category: string }>(
      `INSERT INTO marketplace.category_translations (category, category_en)
       SELECT * FROM json_to_recordset($1::json) AS r(category text, category_en text)
       ON CONFLICT (category) DO UPDATE SET category_en = EXCLUDED.category_en, told = true, updated_at = now()
       WHERE category_translations.category_en IS DISTINCT FROM EXCLUDED.category_en
       RETURNING category`,
      [records],
    );
    await tx.query(
      `UPDATE marketplace.products p SET category_en = r.category_en, updated_at = now()
         FROM json_to_recordset($1::json) AS r(category text, category_en text)
        WHERE p.category = r.category AND p.category_en IS DISTINCT FROM r.category_en`,
      [records],
    );
    return written.map((r) => r.category);
  }

  /**
   * The translations stored before the stream was told of them (see
   * MarketplaceToldTranslations1764890000000), recorded as told now, with when they were stored.
   */
  async takeUntoldTranslations(tx: SqlTx): Promise<{ category: string; category_en: string; stored_at: Date }[]> {
    return tx.query(
      `UPDATE marketplace.category_translations SET told = true WHERE NOT told
       RETURNING category, category_en, updated_at AS stored_at`,
    );
  }

  /** Upserts products; the English category name comes from the translations stored. */
  async saveProducts(tx: SqlTx, products: readonly Product[]): Promise<void> {
    if (products.length === 0) return;
    const records = products.map((p) => ({
      product_id: p.id,
      category: p.category,
      weight_g: p.dimensions.weightG,
      length_cm: p.dimensions.lengthCm,
      height_cm: p.dimensions.heightCm,
      width_cm: p.dimensions.widthCm,
      photos_qty: p.photosQty,
      exceptions: p.exceptions,
    }));
    await tx.query(
      `INSERT INTO marketplace.products (product_id, category, category_en, weight_g, length_cm, height_cm, width_cm, photos_qty, exceptions)
       SELECT r.product_id, r.category, t.category_en, r.weight_g, r.length_cm, r.height_cm, r.width_cm, r.photos_qty,
              ARRAY(SELECT json_array_elements_text(r.exceptions))
         FROM json_to_recordset($1::json) AS r(product_id text, category text, weight_g numeric, length_cm numeric, height_cm numeric,
              width_cm numeric, photos_qty int, exceptions json)
         LEFT JOIN marketplace.category_translations t ON t.category = r.category
       ON CONFLICT (product_id) DO UPDATE SET category = EXCLUDED.category, category_en = EXCLUDED.category_en,
         weight_g = EXCLUDED.weight_g, length_cm = EXCLUDED.length_cm, height_cm = EXCLUDED.height_cm, width_cm = EXCLUDED.width_cm,
         photos_qty = EXCLUDED.photos_qty, exceptions = EXCLUDED.exceptions, updated_at = now()`,
      [JSON.stringify(records)],
    );
  }

  async saveSellers(tx: SqlTx, sellers: readonly Seller[]): Promise<void> {
    if (sellers.length === 0) return;
    const records = sellers.map((s) => ({
      seller_id: s.id,
      zip_prefix: s.zipPrefix.value,
      zip_prefix_raw: s.zipPrefixRaw,
      city_raw: s.city.raw,
      city: s.city.normalized,
      city_flag: s.city.flag,
      state: s.state,
      flags: s.flags,
    }));
    await tx.query(
      `INSERT INTO marketplace.sellers (seller_id, zip_prefix, zip_prefix_raw, city_raw, city, city_flag, state, flags)
       SELECT r.seller_id, r.zip_prefix, r.zip_prefix_raw, r.city_raw, r.city, r.city_flag, r.state, ARRAY(SELECT json_array_elements_text(r.flags))
         FROM json_to_recordset($1::json) AS r(seller_id text, zip_prefix text, zip_prefix_raw text, city_raw text, city text, city_flag text,
              state text, flags json)
       ON CONFLICT (seller_id) DO UPDATE SET zip_prefix = EXCLUDED.zip_prefix, zip_prefix_raw = EXCLUDED.zip_prefix_raw,
         city_raw = EXCLUDED.city_raw, city = EXCLUDED.city, city_flag = EXCLUDED.city_flag, state = EXCLUDED.state,
         flags = EXCLUDED.flags, updated_at = now()`,
      [JSON.stringify(records)],
    );
  }

  /**
   * Records exceptions. The accepted reasons of the entities in `replaced` (file → ids) are
   * replaced by the current ones; a reason already recorded is kept as it is.
   */
  async recordExceptions(tx: SqlTx, exceptions: readonly ImportException[], replaced: ReadonlyMap<string, readonly string[]>): Promise<void> {
    for (const [file, ids] of replaced) {
      if (ids.length === 0) continue;
      await tx.query(`DELETE FROM marketplace.import_exceptions WHERE file = $1 AND outcome = 'accepted' AND entity_id = ANY($2::text[])`, [file, [...ids]]);
    }
    if (exceptions.length === 0) return;
    const records = exceptions.map((e) => ({
      file: e.source.file,
      entity_id: e.entityId,
      code: e.code,
      outcome: e.outcome,
      message: e.message,
      load_id: e.source.loadId,
      line: e.source.line,
    }));
    await tx.query(
      `INSERT INTO marketplace.import_exceptions (file, entity_id, code, outcome, message, load_id, line)
       SELECT * FROM json_to_recordset($1::json) AS r(file text, entity_id text, code text, outcome text, message text, load_id text, line int)
       ON CONFLICT (file, entity_id, code) DO NOTHING`,
      [JSON.stringify(records)],
    );
  }
}
