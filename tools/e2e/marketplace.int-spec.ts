import { execFile } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { parse } from 'csv-parse';
import { Client } from 'pg';
import { createTestDatabase, freePort, OwnNatsServer, TestDatabase } from '@olist/testing';
import { cleanEnv, ROOT, Spawned } from './platform-process';

const run = promisify(execFile);
const SAMPLE = path.resolve(ROOT, '../shared/data/olist-sample');
const hasSample = existsSync(path.join(SAMPLE, 'olist_products_dataset.csv'));
if (!hasSample) console.warn(`SKIPPED: the Olist sample is not at ${SAMPLE}; the marketplace end-to-end tests do not run`);
const describeWithSample = hasSample ? describe : describe.skip;
jest.setTimeout(240_000);

async function* records(file: string): AsyncGenerator<Record<string, string>> {
  yield* createReadStream(path.join(SAMPLE, file)).pipe(parse({ bom: true, columns: true })) as AsyncIterable<Record<string, string>>;
}

const UFS = 'ac|al|ap|am|ba|ce|df|es|go|ma|mt|ms|mg|pa|pb|pr|pe|pi|rj|rn|rs|ro|rr|sc|sp|se|to';

/** The entities and the exceptions of the three files, counted from the CSV independently of the platform. */
async function fileFigures() {
  const exceptions: Record<string, number> = {};
  const count = (code: string) => (exceptions[code] = (exceptions[code] ?? 0) + 1);
  const translations = new Set<string>();
  for await (const r of records('product_category_name_translation.csv')) translations.add(r['product_category_name'] as string);
  const products = new Set<string>();
  const untranslated = new Map<string, number>();
  for await (const r of records('olist_products_dataset.csv')) {
    products.add(r['product_id'] as string);
    const category = r['product_category_name'] as string;
    if (category === '') count('MISSING_CATEGORY');
    else if (!translations.has(category)) untranslated.set(category, (untranslated.get(category) ?? 0) + 1);
    for (const [field, name] of [['product_weight_g', 'WEIGHT'], ['product_length_cm', 'LENGTH'], ['product_height_cm', 'HEIGHT'], ['product_width_cm', 'WIDTH']]) {
      const value = r[field as string] as string;
      if (value === '') count(`MISSING_${name}`);
      else if (Number(value) === 0) count(`ZERO_${name}`);
    }
    if (r['product_photos_qty'] === '') count('MISSING_PHOTOS_QTY');
  }
  const sellers = new Set<string>();
  for await (const r of records('olist_sellers_dataset.csv')) {
    sellers.add(r['seller_id'] as string);
    const city = r['seller_city'] as string;
    const lower = city.trim().toLowerCase();
    if ((r['seller_zip_code_prefix'] as string).length === 4) count('ZIP_PADDED');
    if (/^\d+$/.test(lower)) count('CITY_NUMERIC');
    else if (lower.includes('@')) count('CITY_EMAIL');
    else if (new RegExp(`^(${UFS})(\\s*/\\s*(${UFS}))*$`).test(lower)) count('CITY_IS_UF');
    else if (city !== lower || /[^\x20-\x7e]/.test(city) || /\s\s/.test(city) || new RegExp(`(\\s*/\\s*|\\s+-\\s*|\\s*,\\s*)(${UFS})$`).test(lower)) count('CITY_NORMALIZED');
  }
  return { products: products.size, sellers: sellers.size, translations: translations.size, exceptions, untranslated: Object.fromEntries(untranslated) };
}

interface LoadJson {
  loadId: string;
  status: string;
  caughtUp?: boolean;
  files: Record<string, { records: number; accepted: number }>;
}

describeWithSample('marketplace on the real Olist sample', () => {
  let db: TestDatabase;
  let nats: OwnNatsServer;
  let quality: Spawned;
  let marketplace: Spawned;
  let env: NodeJS.ProcessEnv;
  let admin: Client;
  let marketplaceUrl: string;

  const olist = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, ['bin/olist.js', ...args], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
    return JSON.parse(stdout) as LoadJson;
  };
  const one = async (sql: string) => (await admin.query(sql)).rows[0];

  /** What the marketplace schema holds. */
  const schemaFigures = async () => ({
    ...(await one(`SELECT (SELECT count(*)::int FROM marketplace.products) AS products,
                          (SELECT count(*)::int FROM marketplace.sellers) AS sellers,
                          (SELECT count(*)::int FROM marketplace.category_translations) AS translations,
                          (SELECT count(*)::int FROM marketplace.outbox_events) AS outbox,
                          (SELECT count(*)::int FROM marketplace.dead_letter) AS "deadLetters",
                          (SELECT max(updated_at) FROM marketplace.products) AS "lastUpdate"`)),
    exceptions: Object.fromEntries(
      (await admin.query(`SELECT code, count(*)::int AS n FROM marketplace.import_exceptions GROUP BY code ORDER BY code`)).rows.map((r) => [r.code, r.n]),
    ),
    untranslated: Object.fromEntries((await admin.query(`SELECT category, products FROM marketplace.untranslated_categories`)).rows.map((r) => [r.category, r.products])),
  });

  beforeAll(async () => {
    [db, nats] = await Promise.all([createTestDatabase('marketplace_e2e'), OwnNatsServer.start()]);
    const port = await freePort();
    env = cleanEnv({ DATABASE_URL: db.url, NATS_URL: nats.url, QUALITY_PORT: String(await freePort()), MARKETPLACE_PORT: String(port) });
    marketplaceUrl = `http://127.0.0.1:${port}`;
    quality = Spawned.node(['dist/apps/quality/src/main.js'], env);
    marketplace = Spawned.node(['dist/apps/marketplace/src/main.js'], env);
    await Promise.all([quality.waitFor('quality listening', 60_000), marketplace.waitFor('marketplace listening', 60_000)]);
    admin = new Client({ connectionString: db.url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    for (const service of [marketplace, quality]) service?.child.kill('SIGTERM');
    await Promise.all([marketplace?.exited, quality?.exited]);
    await nats?.dispose();
    await db?.drop();
  });

  let expected: Awaited<ReturnType<typeof fileFigures>>;

  it('holds exactly the distinct products, sellers and translations of the files, each exception recorded', async () => {
    expected = await fileFigures();
    console.log(`marketplace: exceptions in the files ${JSON.stringify(expected.exceptions)}, untranslated ${JSON.stringify(expected.untranslated)}`);
    expect([expected.products, expected.sellers, expected.translations]).toEqual([9_255, 1_904, 71]);
    const started = Date.now();
    const first = await olist('load', SAMPLE, '--json', '--wait', '--wait-timeout', '180');
    console.log(`marketplace: sample loaded and applied in ${Date.now() - started} ms`);
    expect(first).toMatchObject({ status: 'published', caughtUp: true });
    for (const file of ['olist_products_dataset.csv', 'olist_sellers_dataset.csv', 'product_category_name_translation.csv']) {
      expect({ file, accepted: first.files[file]?.accepted }).toEqual({ file, accepted: first.files[file]?.records });
    }
    const figures = await schemaFigures();
    expect(figures).toMatchObject({
      products: expected.products,
      sellers: expected.sellers,
      translations: expected.translations,
      outbox: expected.products + expected.sellers + expected.translations,
      deadLetters: 0,
      exceptions: expected.exceptions,
      untranslated: expected.untranslated,
    });
    const events = (await admin.query(`SELECT type, count(*)::int AS n FROM marketplace.outbox_events GROUP BY type ORDER BY type`)).rows;
    expect(events).toEqual([
      { type: 'marketplace.category-translated', n: expected.translations },
      { type: 'marketplace.product-listed', n: expected.products },
      { type: 'marketplace.seller-registered', n: expected.sellers },
    ]);
    const uncategorized = await one(`SELECT count(*)::int AS n FROM marketplace.products WHERE category = 'uncategorized'`);
    expect(uncategorized.n).toBe(expected.exceptions['MISSING_CATEGORY']);
  });

  it('serves products, sellers and a category page by page, over HTTP and request-reply', async () => {
    const { product_id: productId, category } = await one(`SELECT product_id, category FROM marketplace.products WHERE category_en IS NOT NULL ORDER BY product_id LIMIT 1`);
    const product = (await (await fetch(`${marketplaceUrl}/products/${productId}`)).json()) as { productId: string; categoryEn: string };
    expect(product).toMatchObject({ productId, category, categoryEn: expect.any(String) });
    const flagged = await one(`SELECT seller_id FROM marketplace.sellers WHERE city IS NULL ORDER BY seller_id LIMIT 1`);
    if (flagged) {
      const seller = await (await fetch(`${marketplaceUrl}/sellers/${flagged.seller_id}`)).json();
      expect(seller).toMatchObject({ sellerId: flagged.seller_id, city: null, cityRaw: expect.any(String), cityFlag: expect.stringMatching(/^CITY_/) });
    }
    const { n } = await one(`SELECT count(*)::int AS n FROM marketplace.products WHERE category = '${category}'`);
    const page1 = (await (await fetch(`${marketplaceUrl}/categories/${category}/products?limit=2&offset=0`)).json()) as { total: number; products: { productId: string }[] };
    const page2 = (await (await fetch(`${marketplaceUrl}/categories/${category}/products?limit=2&offset=2`)).json()) as { products: { productId: string }[] };
    expect(page1.total).toBe(n);
    expect(page1.products).toHaveLength(Math.min(2, n));
    expect(page2.products.map((p) => p.productId)).not.toContain(page1.products[0]?.productId);
    expect((await fetch(`${marketplaceUrl}/products/does-not-exist`)).status).toBe(404);
    expect((await fetch(`${marketplaceUrl}/sellers/does-not-exist`)).status).toBe(404);
    const badLimit = await fetch(`${marketplaceUrl}/categories/${category}/products?limit=0`);
    expect(badLimit.status).toBe(400);
    expect(((await badLimit.json()) as { message: string }).message).toBe('limit must be an integer from 1 to 1000, got "0"');

    const nc = await connect({ servers: nats.url });
    try {
      const ask = async (subject: string, data: unknown) =>
        (await nc.request(subject, JSON.stringify({ pattern: subject, data, id: '1' }), { timeout: 5_000 })).json<{ response: Record<string, unknown> }>().response;
      expect(await ask('olist.rpc.marketplace.product', { productId })).toMatchObject({ productId, category });
      expect(await ask('olist.rpc.marketplace.product', { productId: 'does-not-exist' })).toMatchObject({ error: 'NOT_FOUND' });
      const { seller_id: sellerId } = await one(`SELECT seller_id FROM marketplace.sellers ORDER BY seller_id LIMIT 1`);
      expect(await ask('olist.rpc.marketplace.seller', { sellerId })).toMatchObject({ sellerId });
      expect(await ask('olist.rpc.marketplace.seller', { sellerId: 'does-not-exist' })).toMatchObject({ error: 'NOT_FOUND' });
    } finally {
      await nc.close();
    }
  });

  it('changes nothing when the same files are loaded again, even when every row is published again', async () => {
    const before = await schemaFigures();
    const unchanged = await olist('load', SAMPLE, '--json', '--wait', '--wait-timeout', '120');
    expect(unchanged).toMatchObject({ status: 'unchanged' });
    expect(await schemaFigures()).toEqual(before);

    // Without the staging data of the last published load, quality publishes every accepted row again.
    await admin.query(`DROP TABLE staging."orders_${unchanged.loadId.replace(/-/g, '')}"`);
    const again = await olist('load', SAMPLE, '--json', '--wait', '--wait-timeout', '180');
    expect(again).toMatchObject({ status: 'published', caughtUp: true });
    expect(await schemaFigures()).toEqual(before);
  });
});
