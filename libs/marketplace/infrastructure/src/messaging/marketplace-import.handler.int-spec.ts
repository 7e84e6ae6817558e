import { Pool } from 'pg';
import type { QueryRunner } from 'typeorm';
import { ContractRegistry, type InboundMessage, messagingEventBatchesMigration, messagingTablesMigration, Outbox, PgTransactor } from '@olist/messaging';
import { MARKETPLACE_CONTRACTS } from '@olist/marketplace-contracts';
import { IMPORT_CONTRACTS, IMPORT_FILE_NAMES, IMPORT_SUBJECTS, type ImportFile } from '@olist/quality-contracts';
import { createTestDatabase, type TestDatabase, rawFeedMessage } from '@olist/testing';
import { MarketplaceSchema1764400000000 } from '../persistence/migrations/1764400000000-marketplace-schema';
import { MarketplaceToldTranslations1764890000000 } from '../persistence/migrations/1764890000000-marketplace-told-translations';
import { CatalogQueries } from '../read-model/catalog-queries';
import { MarketplaceImportHandler } from './marketplace-import.handler';

type Row = Record<string, string | null>;
const LOAD = '0b6c1d3e-5f7a-4c2b-9e8d-1a2b3c4d5e6f';

const product = (id: string, category: string, extra: Row = {}): Row => ({
  product_id: id,
  product_category_name: category,
  product_name_lenght: '40.0',
  product_description_lenght: '287.0',
  product_photos_qty: '1.0',
  product_weight_g: '225.0',
  product_length_cm: '16.0',
  product_height_cm: '10.0',
  product_width_cm: '14.0',
  ...extra,
});
const seller = (id: string, zip: string, city: string, state = 'SP'): Row => ({ seller_id: id, seller_zip_code_prefix: zip, seller_city: city, seller_state: state });
const category = (pt: string, en: string): Row => ({ product_category_name: pt, product_category_name_english: en });

const PRODUCTS = [
  product('p1', 'utilidades_domesticas'),
  product('p2', '', { product_name_lenght: '', product_description_lenght: '', product_photos_qty: '' }),
  product('p3', 'pc_gamer', { product_weight_g: '0.0', product_height_cm: '' }),
];
const SELLERS = [seller('s1', '09350', 'maua'), seller('s2', '4482', '04482255'), seller('s3', '13023', 'vendas@creditparts.com.br'), seller('s4', '05410', 'sp / sp')];
const TRANSLATIONS = [category('utilidades_domesticas', 'housewares'), category('artes', 'art')];

let sequence = 0;
function message(file: ImportFile, batch: number, rows: readonly Row[], firstLine = 2): InboundMessage {
  return rawFeedMessage({ loadId: LOAD, file, fileName: IMPORT_FILE_NAMES[file], subject: IMPORT_SUBJECTS[file], batch, rows, firstLine, streamSequence: ++sequence });
}

const feed = {
  products: message('products', 1, PRODUCTS),
  sellers: message('sellers', 1, SELLERS),
  translations: message('category_translation', 1, TRANSLATIONS),
};

describe('MarketplaceImportHandler against Postgres', () => {
  let db: TestDatabase;
  let pool: Pool;
  let transactor: PgTransactor;
  const handler = new MarketplaceImportHandler(new Outbox('marketplace', new ContractRegistry([...MARKETPLACE_CONTRACTS, ...IMPORT_CONTRACTS])));

  beforeAll(async () => {
    db = await createTestDatabase('marketplace_import');
    pool = new Pool({ connectionString: db.url, max: 2 });
    transactor = new PgTransactor(pool);
    await pool.query('CREATE SCHEMA marketplace');
    const runner = { query: (sql: string) => pool.query(sql) } as unknown as QueryRunner;
    await new (messagingTablesMigration('marketplace'))().up(runner);
    await new (messagingEventBatchesMigration('marketplace'))().up(runner);
    await new MarketplaceSchema1764400000000().up(runner);
    await new MarketplaceToldTranslations1764890000000().up(runner);
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  beforeEach(async () => {
    await pool.query('TRUNCATE marketplace.products, marketplace.sellers, marketplace.category_translations, marketplace.import_exceptions, marketplace.outbox');
  });

  const apply = (...messages: InboundMessage[]) => transactor.transaction((tx) => handler.handle(messages, tx));

  async function state() {
    const q = async (sql: string) => (await pool.query(sql)).rows.map(({ updated_at: _, recorded_at: __, ...r }) => r);
    return {
      products: await q(`SELECT * FROM marketplace.products ORDER BY product_id`),
      sellers: await q(`SELECT * FROM marketplace.sellers ORDER BY seller_id`),
      translations: await q(`SELECT * FROM marketplace.category_translations ORDER BY category`),
      exceptions: await q(`SELECT file, entity_id, code, outcome FROM marketplace.import_exceptions ORDER BY file, entity_id, code`),
    };
  }
  const outbox = async () => (await pool.query(`SELECT type, aggregate_id, envelope FROM marketplace.outbox_events ORDER BY position, seq`)).rows;

  it('stores the catalog, records each exception with its reason and emits the events', async () => {
    const outcome = await apply(feed.translations, feed.products, feed.sellers);
    expect(outcome).toMatchObject({ productsWritten: 3, sellersWritten: 4, translationsWritten: 2, refused: 0, events: 9 });
    const { products, sellers, exceptions } = await state();
    expect(products.map((p) => [p.product_id, p.category, p.category_en, p.weight_g, p.height_cm, p.photos_qty, p.exceptions])).toEqual([
      ['p1', 'utilidades_domesticas', 'housewares', '225', '10', 1, []],
      ['p2', 'uncategorized', null, '225', '10', null, ['MISSING_CATEGORY', 'MISSING_PHOTOS_QTY']],
      ['p3', 'pc_gamer', null, null, null, 1, ['MISSING_HEIGHT', 'ZERO_WEIGHT']],
    ]);
    expect(sellers.map((s) => [s.seller_id, s.zip_prefix, s.city_raw, s.city, s.city_flag, s.flags])).toEqual([
      ['s1', '09350', 'maua', 'maua', null, []],
      ['s2', '04482', '04482255', null, 'CITY_NUMERIC', ['CITY_NUMERIC', 'ZIP_PADDED']],
      ['s3', '13023', 'vendas@creditparts.com.br', null, 'CITY_EMAIL', ['CITY_EMAIL']],
      ['s4', '05410', 'sp / sp', null, 'CITY_IS_UF', ['CITY_IS_UF']],
    ]);
    expect(exceptions.map((e) => `${e.entity_id}:${e.code}:${e.outcome}`)).toEqual([
      'p2:MISSING_CATEGORY:accepted',
      'p2:MISSING_PHOTOS_QTY:accepted',
      'p3:MISSING_HEIGHT:accepted',
      'p3:ZERO_WEIGHT:accepted',
      's2:CITY_NUMERIC:accepted',
      's2:ZIP_PADDED:accepted',
      's3:CITY_EMAIL:accepted',
      's4:CITY_IS_UF:accepted',
    ]);
    const events = await outbox();
    expect(events.map((e) => `${e.aggregate_id}:${e.type}`).sort()).toEqual([
      'artes:marketplace.category-translated',
      'p1:marketplace.product-listed',
      'p2:marketplace.product-listed',
      'p3:marketplace.product-listed',
      's1:marketplace.seller-registered',
      's2:marketplace.seller-registered',
      's3:marketplace.seller-registered',
      's4:marketplace.seller-registered',
      'utilidades_domesticas:marketplace.category-translated',
    ]);
    expect(events.find((e) => e.aggregate_id === 'utilidades_domesticas').envelope).toMatchObject({
      occurredAt: '2024-05-01T08:00:00Z',
      payload: { category: 'utilidades_domesticas', categoryEn: 'housewares' },
    });
    expect(events.find((e) => e.aggregate_id === 'p1').envelope).toMatchObject({
      occurredAt: '2024-05-01T08:00:00Z',
      payload: { productId: 'p1', category: 'utilidades_domesticas', categoryEn: 'housewares', dimensions: { weightG: 225, heightCm: 10 } },
    });
    expect(events.find((e) => e.aggregate_id === 's2').envelope.payload).toEqual({
      sellerId: 's2',
      zipPrefix: '04482',
      city: '04482255',
      state: 'SP',
      flags: ['CITY_NUMERIC', 'ZIP_PADDED'],
    });
    expect(await transactor.transaction((tx) => new CatalogQueries(tx).untranslatedCategories())).toEqual([{ category: 'pc_gamer', products: 1 }]);
  });

  it('changes and emits nothing when the same rows are applied again', async () => {
    await apply(feed.products, feed.sellers, feed.translations);
    const before = { state: await state(), outbox: await outbox() };
    const again = await apply(feed.sellers, feed.translations, feed.products);
    expect(again).toMatchObject({ productsWritten: 0, sellersWritten: 0, translationsWritten: 0, events: 0 });
    expect({ state: await state(), outbox: await outbox() }).toEqual(before);
  });

  /**
   * Per product, the English category name its events convey, in stream order: product-listed and
   * product-recategorized set it, category-translated names the products then in its category.
   */
  const conveyedEnglish = async () => {
    const products = new Map<string, { category: string; en: string | null }>();
    for (const { type, envelope: { payload: p } } of await outbox()) {
      if (type === 'marketplace.product-listed') products.set(p.productId, { category: p.category, en: p.categoryEn });
      if (type === 'marketplace.product-recategorized') products.set(p.productId, { category: p.toCategory, en: p.toCategoryEn });
      if (type === 'marketplace.category-translated') for (const v of products.values()) if (v.category === p.category) v.en = p.categoryEn;
    }
    return Object.fromEntries([...products].map(([id, v]) => [id, v.en]));
  };
  const storedEnglish = async () => Object.fromEntries((await state()).products.map((p) => [p.product_id, p.category_en]));

  it('ends in the same state, and conveys the same English names, whether the translations arrive before or after the products', async () => {
    await apply(feed.translations);
    await apply(feed.products);
    const first = await state();
    expect(await conveyedEnglish()).toEqual({ p1: 'housewares', p2: null, p3: null });
    expect(await conveyedEnglish()).toEqual(await storedEnglish());
    await pool.query('TRUNCATE marketplace.products, marketplace.category_translations, marketplace.import_exceptions, marketplace.outbox');
    await apply(feed.products);
    expect((await state()).products.find((p) => p.product_id === 'p1')?.category_en).toBeNull();
    const events = (await outbox()).length;
    await apply(feed.translations);
    expect(await state()).toEqual(first);
    // One category-translated per translation; the products are not written again.
    expect((await outbox()).slice(events).map((e) => [e.type, e.aggregate_id]).sort()).toEqual([
      ['marketplace.category-translated', 'artes'],
      ['marketplace.category-translated', 'utilidades_domesticas'],
    ]);
    expect(await conveyedEnglish()).toEqual(await storedEnglish());
    // A changed English name is told again; the same one is not.
    await apply(message('category_translation', 2, [category('utilidades_domesticas', 'household_goods')]));
    await apply(message('category_translation', 3, [category('utilidades_domesticas', 'household_goods')]));
    expect((await outbox()).slice(events + 2).map((e) => e.envelope.payload)).toEqual([{ category: 'utilidades_domesticas', categoryEn: 'household_goods' }]);
    expect(await conveyedEnglish()).toEqual({ p1: 'household_goods', p2: null, p3: null });
    expect(await conveyedEnglish()).toEqual(await storedEnglish());
  });

  it('tells, once, the translations stored before the stream was told of them', async () => {
    await apply(feed.products, feed.translations);
    const tell = () => transactor.transaction((tx) => handler.tellUntoldTranslations(tx));
    expect(await tell()).toBe(0);
    // As the migration that added the column leaves the translations stored before it.
    await pool.query(`UPDATE marketplace.category_translations SET told = false`);
    const written = (await outbox()).length;
    expect(await tell()).toBe(2);
    const told = (await outbox()).slice(written);
    const stored = (await pool.query(`SELECT category, updated_at FROM marketplace.category_translations ORDER BY category`)).rows;
    expect(told.map((e) => [e.type, e.aggregate_id, e.envelope.occurredAt, e.envelope.payload])).toEqual([
      ['marketplace.category-translated', 'artes', stored[0].updated_at.toISOString(), { category: 'artes', categoryEn: 'art' }],
      ['marketplace.category-translated', 'utilidades_domesticas', stored[1].updated_at.toISOString(), { category: 'utilidades_domesticas', categoryEn: 'housewares' }],
    ]);
    expect(await tell()).toBe(0);
    expect(await conveyedEnglish()).toEqual(await storedEnglish());
  });

  it('emits product-recategorized when the category changes, product-listed when an attribute does, seller-registered when the address does', async () => {
    await apply(feed.products, feed.sellers, feed.translations);
    const count = (await outbox()).length;
    await apply(
      message('products', 2, [product('p2', 'utilidades_domesticas', { product_photos_qty: '' }), product('p1', 'utilidades_domesticas', { product_photos_qty: '3.0' })], 10),
      message('sellers', 2, [seller('s4', '05410', 'sao paulo'), seller('s1', '09350', 'Maua')], 10),
    );
    const events = (await outbox()).slice(count);
    expect(events.map((e) => `${e.aggregate_id}:${e.type}`).sort()).toEqual([
      'p1:marketplace.product-listed',
      'p2:marketplace.product-listed',
      'p2:marketplace.product-recategorized',
      's1:marketplace.seller-registered',
      's4:marketplace.seller-registered',
    ]);
    expect(events.find((e) => e.type === 'marketplace.product-recategorized').envelope.payload).toEqual({
      productId: 'p2',
      fromCategory: 'uncategorized',
      toCategory: 'utilidades_domesticas',
      toCategoryEn: 'housewares',
    });
    const exceptions = (await state()).exceptions.map((e) => `${e.entity_id}:${e.code}`);
    expect(exceptions).toEqual(['p2:MISSING_PHOTOS_QTY', 'p3:MISSING_HEIGHT', 'p3:ZERO_WEIGHT', 's1:CITY_NORMALIZED', 's2:CITY_NUMERIC', 's2:ZIP_PADDED', 's3:CITY_EMAIL']);
  });

  it('refuses rows it cannot read, recording file, line and reason, without failing the batch', async () => {
    const outcome = await apply(
      message('products', 3, [product('p9', 'artes', { product_weight_g: 'heavy' }), product('', 'artes')]),
      message('sellers', 3, [seller('s9', '12', 'maua'), seller('s8', '09350', 'maua', 'XX')]),
      message('category_translation', 3, [category('artes', '')]),
    );
    expect(outcome).toMatchObject({ productsWritten: 0, sellersWritten: 0, refused: 5 });
    const rows = (await pool.query(`SELECT entity_id, code, outcome, line, message FROM marketplace.import_exceptions ORDER BY CASE file WHEN 'olist_products_dataset.csv' THEN 1 WHEN 'olist_sellers_dataset.csv' THEN 2 ELSE 3 END, line`)).rows;
    expect(rows.map((r) => `${r.entity_id}:${r.code}:${r.outcome}:${r.line}`)).toEqual([
      'p9:MARKETPLACE_IMPORT.INVALID_NUMBER:refused:2',
      'line 3:MARKETPLACE_IMPORT.MISSING_FIELD:refused:3',
      's9:ADDRESS.ZIP_TOO_SHORT:refused:2',
      's8:ADDRESS.UF_UNKNOWN:refused:3',
      'artes:CATEGORY.EMPTY_TRANSLATION:refused:2',
    ]);
    expect(rows.find((r) => r.entity_id === 'p9').message).toContain('olist_products_dataset.csv line 2: product_weight_g "heavy"');
  });
});
