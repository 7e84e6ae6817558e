/** Anything that runs SQL: a DataSource, a transaction. */
export interface SqlRunner {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface ProductView {
  productId: string;
  category: string;
  categoryEn: string | null;
  dimensions: { weightG: number | null; lengthCm: number | null; heightCm: number | null; widthCm: number | null };
  photosQty: number | null;
  exceptions: string[];
}

export interface SellerView {
  sellerId: string;
  zipPrefix: string;
  /** Normalised city; null when the source value is not a city (see cityRaw and cityFlag). */
  city: string | null;
  cityRaw: string;
  cityFlag: string | null;
  state: string;
  flags: string[];
}

export interface CategoryProductsView {
  category: string;
  categoryEn: string | null;
  total: number;
  limit: number;
  offset: number;
  products: ProductView[];
}

interface ProductRow {
  product_id: string;
  category: string;
  category_en: string | null;
  weight_g: string | null;
  length_cm: string | null;
  height_cm: string | null;
  width_cm: string | null;
  photos_qty: number | null;
  exceptions: string[];
}

const num = (v: string | null) => (v === null ? null : Number(v));

const productView = (r: ProductRow): ProductView => ({
  productId: r.product_id,
  category: r.category,
  categoryEn: r.category_en,
  dimensions: { weightG: num(r.weight_g), lengthCm: num(r.length_cm), heightCm: num(r.height_cm), widthCm: num(r.width_cm) },
  photosQty: r.photos_qty,
  exceptions: r.exceptions,
});

/** The read side of the catalog. */
export class CatalogQueries {
  constructor(private readonly db: SqlRunner) {}

  async product(productId: string): Promise<ProductView | null> {
    const [row] = await this.db.query<ProductRow>(`SELECT * FROM marketplace.products WHERE product_id = $1`, [productId]);
    return row ? productView(row) : null;
  }

  async seller(sellerId: string): Promise<SellerView | null> {
    const [r] = await this.db.query<{ seller_id: string; zip_prefix: string; city: string | null; city_raw: string; city_flag: string | null; state: string; flags: string[] }>(
      `SELECT * FROM marketplace.sellers WHERE seller_id = $1`,
      [sellerId],
    );
    return r ? { sellerId: r.seller_id, zipPrefix: r.zip_prefix, city: r.city, cityRaw: r.city_raw, cityFlag: r.city_flag, state: r.state, flags: r.flags } : null;
  }

  /** A page of a category's products ordered by id (limit 1…1000, default 100). */
  async categoryProducts(category: string, limit = 100, offset = 0): Promise<CategoryProductsView> {
    const page = { limit: Math.min(Math.max(Math.trunc(limit), 1), 1000), offset: Math.max(Math.trunc(offset), 0) };
    const [{ total }] = (await this.db.query<{ total: number }>(`SELECT count(*)::int AS total FROM marketplace.products WHERE category = $1`, [category])) as [{ total: number }];
    const rows = await this.db.query<ProductRow>(`SELECT * FROM marketplace.products WHERE category = $1 ORDER BY product_id LIMIT $2 OFFSET $3`, [
      category,
      page.limit,
      page.offset,
    ]);
    const [t] = await this.db.query<{ category_en: string }>(`SELECT category_en FROM marketplace.category_translations WHERE category = $1`, [category]);
    return { category, categoryEn: t?.category_en ?? null, total, ...page, products: rows.map(productView) };
  }

  /** Categories of stored products that have no English name, with their product counts. */
  async untranslatedCategories(): Promise<{ category: string; products: number }[]> {
    return this.db.query(`SELECT category, products FROM marketplace.untranslated_categories ORDER BY category`);
  }
}
