import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { parse } from 'csv-parse';
import { Client } from 'pg';
import { PiiCipher, parsePiiKeys } from '@olist/pii';
import { IMPORT_PERSONAL_COLUMNS, IMPORT_SUBJECTS } from '@olist/quality-contracts';
import { BRAZIL_BOUNDING_BOX, GeoPoint, haversineKm, unwrap } from '@olist/shared-kernel';
import { createTestDatabase, freePort, OwnNatsServer, TestDatabase } from '@olist/testing';
import { cleanEnv, ROOT, Spawned } from './platform-process';

const run = promisify(execFile);
const SAMPLE = path.resolve(ROOT, '../shared/data/olist-sample');
const hasSample = existsSync(path.join(SAMPLE, 'olist_customers_dataset.csv'));
if (!hasSample) console.warn(`SKIPPED: the Olist sample is not at ${SAMPLE}; the personal-data end-to-end tests do not run`);
const describeWithSample = hasSample ? describe : describe.skip;
jest.setTimeout(300_000);

type Row = Record<string, string>;
async function* records(file: string): AsyncGenerator<Row> {
  yield* createReadStream(path.join(SAMPLE, file)).pipe(parse({ bom: true, columns: true })) as AsyncIterable<Row>;
}

/** Subjects whose messages are about customers: a customer's city or review text must not be in them in clear. */
const CUSTOMER_SUBJECTS = /^olist\.(import\.(customers|order_reviews)\.v1|customer\..+|fulfillment\..+|sales\..+)$/;
const SEALED = /^pii:v2:[A-Za-z0-9._-]+:[A-Za-z0-9_-]+$/;
const SERVICES = ['quality', 'sales', 'fulfillment', 'customer'] as const;

/** Personal values of the sample, and what the tests need to check a customer and a distance. */
async function sampleFacts() {
  const cities = new Set<string>();
  const customers = new Map<string, { uniqueId: string; zip: string; city: string }>();
  for await (const r of records('olist_customers_dataset.csv')) {
    const city = (r['customer_city'] as string).trim();
    customers.set(r['customer_id'] as string, { uniqueId: r['customer_unique_id'] as string, zip: (r['customer_zip_code_prefix'] as string).padStart(5, '0'), city });
    // Long enough, and not made of hex digits only, so it cannot occur by chance inside an id.
    if (city.length >= 10 && /[g-z]/.test(city) && cities.size < 150) cities.add(city);
  }
  const reviewTexts = new Set<string>();
  for await (const r of records('olist_order_reviews_dataset.csv')) {
    for (const column of ['review_comment_title', 'review_comment_message']) {
      const text = (r[column] ?? '').trim();
      if (text.length >= 20) reviewTexts.add(text);
    }
  }
  // Centroids as fulfillment defines them: the mean of the distinct points of a prefix inside Brazil.
  const points = new Map<string, Map<string, [number, number]>>();
  const box = BRAZIL_BOUNDING_BOX;
  for await (const r of records('olist_geolocation_dataset.csv')) {
    const lat = Number(r['geolocation_lat']);
    const lng = Number(r['geolocation_lng']);
    if (!(lat >= box.minLat && lat <= box.maxLat && lng >= box.minLng && lng <= box.maxLng)) continue;
    const zip = (r['geolocation_zip_code_prefix'] as string).padStart(5, '0');
    const set = points.get(zip) ?? new Map<string, [number, number]>();
    set.set(`${lat}|${lng}`, [lat, lng]);
    points.set(zip, set);
  }
  const centroid = (zip: string): [number, number] | undefined => {
    const set = points.get(zip);
    if (!set) return undefined;
    const all = [...set.values()];
    return [all.reduce((s, p) => s + p[0], 0) / all.length, all.reduce((s, p) => s + p[1], 0) / all.length];
  };
  const sellers = new Map<string, string>();
  for await (const r of records('olist_sellers_dataset.csv')) sellers.set(r['seller_id'] as string, (r['seller_zip_code_prefix'] as string).padStart(5, '0'));
  const firstSeller = new Map<string, { seq: number; sellerId: string }>();
  for await (const r of records('olist_order_items_dataset.csv')) {
    const seq = Number(r['order_item_id']);
    const known = firstSeller.get(r['order_id'] as string);
    if (!known || seq < known.seq || (seq === known.seq && (r['seller_id'] as string) < known.sellerId)) firstSeller.set(r['order_id'] as string, { seq, sellerId: r['seller_id'] as string });
  }
  /** Delivered orders whose customer and first seller have a centroid, with the distance between them. */
  const distances: { orderId: string; km: number }[] = [];
  for await (const r of records('olist_orders_dataset.csv')) {
    if (r['order_status'] !== 'delivered' || distances.length >= 20) continue;
    const customer = customers.get(r['customer_id'] as string);
    const seller = firstSeller.get(r['order_id'] as string);
    const from = seller && centroid(sellers.get(seller.sellerId) ?? '');
    const to = customer && centroid(customer.zip);
    if (!from || !to) continue;
    distances.push({ orderId: r['order_id'] as string, km: haversineKm(unwrap(GeoPoint.create(...from)), unwrap(GeoPoint.create(...to))) });
  }
  return { cities: [...cities], reviewTexts: [...reviewTexts], customers, distances };
}

/**
 * Finds which of many strings (each at least KEY characters) occur in a text in one pass: the
 * candidates are indexed by their first KEY characters, so a text costs one look-up per position
 * instead of one search per string.
 */
class Needles {
  private static readonly KEY = 10;
  private readonly byKey = new Map<string, string[]>();

  constructor(needles: readonly string[]) {
    for (const n of new Set(needles)) {
      if (n.length < Needles.KEY) throw new Error('needle too short');
      const key = n.slice(0, Needles.KEY);
      this.byKey.set(key, [...(this.byKey.get(key) ?? []), n]);
    }
  }

  found(text: string): string[] {
    const hits: string[] = [];
    for (let i = 0; i + Needles.KEY <= text.length; i++) {
      const candidates = this.byKey.get(text.substr(i, Needles.KEY));
      if (candidates) for (const c of candidates) if (text.startsWith(c, i)) hits.push(c);
    }
    return hits;
  }
}

interface StreamMessage {
  readonly stream: string;
  readonly subject: string;
  readonly text: string;
}

describeWithSample('personal data on the real Olist sample', () => {
  let db: TestDatabase;
  let nats: OwnNatsServer;
  let env: NodeJS.ProcessEnv;
  let admin: Client;
  const spawned: Partial<Record<(typeof SERVICES)[number], Spawned>> = {};
  const ports: Partial<Record<(typeof SERVICES)[number], number>> = {};
  const feedKeys = `e2e-feed:${randomBytes(32).toString('base64')}`;
  let facts: Awaited<ReturnType<typeof sampleFacts>>;
  let messages: StreamMessage[] = [];

  const url = (service: (typeof SERVICES)[number], route: string) => `http://127.0.0.1:${ports[service]}${route}`;
  const one = async (sql: string) => (await admin.query(sql)).rows[0];

  /** Waits until no service has an unpublished outbox row, twice in a row one second apart. */
  async function outboxesDrained(): Promise<void> {
    const deadline = Date.now() + 120_000;
    let quiet = 0;
    while (quiet < 2) {
      const { n } = await one(
        `SELECT ${SERVICES.map((s) => `(SELECT count(*) FROM ${s}.outbox WHERE published_at IS NULL)`).join(' + ')} AS n`,
      );
      quiet = Number(n) === 0 ? quiet + 1 : 0;
      if (Date.now() > deadline) throw new Error(`outboxes not drained: ${n} rows left`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }

  /** Every message of every stream of the test's own NATS, with its subject. */
  async function everyMessage(): Promise<StreamMessage[]> {
    const nc = await connect({ servers: nats.url });
    try {
      const jsm = await jetstreamManager(nc);
      const js = jetstream(nc);
      const out: StreamMessage[] = [];
      for await (const info of jsm.streams.list()) {
        const stream = info.config.name;
        const total = info.state.messages;
        if (total === 0) continue;
        const consumer = await js.consumers.get(stream);
        let read = 0;
        const iter = await consumer.consume();
        for await (const m of iter) {
          out.push({ stream, subject: m.subject, text: m.string() });
          if (++read >= total) break;
        }
      }
      return out;
    } finally {
      await nc.close();
    }
  }

  const escapedForms = (values: readonly string[]) => values.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]);

  beforeAll(async () => {
    [db, nats] = await Promise.all([createTestDatabase('personal_data_e2e'), OwnNatsServer.start()]);
    for (const service of SERVICES) ports[service] = await freePort();
    env = cleanEnv({
      DATABASE_URL: db.url,
      NATS_URL: nats.url,
      ...Object.fromEntries(SERVICES.map((s) => [`${s.toUpperCase()}_PORT`, String(ports[s])])),
      OLIST_FEED_KEYS: feedKeys,
      CUSTOMER_PII_KEYS: `e2e-customer:${randomBytes(32).toString('base64')}`,
    });
    for (const service of SERVICES) spawned[service] = Spawned.node([`dist/apps/${service}/src/main.js`], env);
    await Promise.all(SERVICES.map((s) => spawned[s]!.waitFor(`${s} listening`, 90_000)));
    admin = new Client({ connectionString: db.url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    for (const service of SERVICES) spawned[service]?.child.kill('SIGTERM');
    await Promise.all(SERVICES.map((s) => spawned[s]?.exited));
    await nats?.dispose();
    await db?.drop();
  });

  it('loads the sample through quality, customer, fulfillment and sales', async () => {
    facts = await sampleFacts();
    expect(facts.cities.length).toBeGreaterThan(50);
    expect(facts.reviewTexts.length).toBeGreaterThan(1_000);
    expect(facts.distances.length).toBeGreaterThanOrEqual(10);
    const { stdout } = await run(process.execPath, ['bin/olist.js', 'load', SAMPLE, '--json', '--wait', '--wait-timeout', '240'], {
      cwd: ROOT,
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(JSON.parse(stdout)).toMatchObject({ status: 'published', caughtUp: true });
    await outboxesDrained();
    messages = await everyMessage();
    const streams = new Set(messages.map((m) => m.stream));
    for (const stream of ['OLIST_IMPORT', 'OLIST_CUSTOMER', 'OLIST_FULFILLMENT', 'OLIST_SALES', 'OLIST_QUALITY']) expect(streams).toContain(stream);
    console.log(`personal data: ${messages.length} messages read from ${[...streams].join(', ')}`);
  });

  it('carries the personal columns of the raw feed only sealed, under the configured key', () => {
    const feed = new PiiCipher(parsePiiKeys(feedKeys, 'OLIST_FEED_KEYS'));
    const personal = [
      { subject: IMPORT_SUBJECTS.customers, columns: IMPORT_PERSONAL_COLUMNS.customers as readonly string[] },
      { subject: IMPORT_SUBJECTS.order_reviews, columns: IMPORT_PERSONAL_COLUMNS.order_reviews as readonly string[] },
    ];
    for (const { subject, columns } of personal) {
      const batches = messages.filter((m) => m.subject === subject);
      expect({ subject, batches: batches.length > 0 }).toEqual({ subject, batches: true });
      let sealed = 0;
      for (const m of batches) {
        const rows = (JSON.parse(m.text) as { payload: { rows: { values: Record<string, string | null> }[] } }).payload.rows;
        for (const { values } of rows) {
          for (const column of columns) {
            const value = values[column] ?? null;
            if (value === null) continue;
            if (!SEALED.test(value)) throw new Error(`${subject}: ${column} is not sealed in a message`);
            sealed += 1;
          }
        }
      }
      expect(sealed).toBeGreaterThan(1_000);
    }
    // The sealed values open with the deployment's key to the values of the files.
    const [first] = messages.filter((m) => m.subject === IMPORT_SUBJECTS.customers);
    const row = (JSON.parse(first!.text) as { payload: { rows: { values: Record<string, string> }[] } }).payload.rows[0]!.values;
    const source = facts.customers.get(row['customer_id'] as string);
    expect(feed.unseal(row['customer_city'] as string, 'customer_city').trim()).toBe(source?.city);
    expect(feed.unseal(row['customer_zip_code_prefix'] as string, 'customer_zip_code_prefix').padStart(5, '0')).toBe(source?.zip);
  });

  it('lets no review text into any message, and no customer city into a message about customers', () => {
    const reviewTexts = new Needles(escapedForms(facts.reviewTexts));
    const cities = escapedForms(facts.cities);
    const cityNeedles = new Needles(cities);
    const leaks: string[] = [];
    for (const m of messages) {
      if (reviewTexts.found(m.text).length > 0) leaks.push(`${m.subject}: review text`);
      if (CUSTOMER_SUBJECTS.test(m.subject)) for (const city of cityNeedles.found(m.text)) leaks.push(`${m.subject}: city ${city}`);
    }
    expect([...new Set(leaks)]).toEqual([]);
    // The scan finds what it looks for: a review text and a city put into a message in clear.
    const planted = `{"payload":{"review_comment_message":${JSON.stringify(facts.reviewTexts[0])},"customer_city":"${facts.cities[0]}"}}`;
    expect([reviewTexts.found(planted).length, cityNeedles.found(planted).length]).toEqual([1, 1]);
    // Cities do travel where they are public: the sellers and geolocation feeds (a check that the scan sees them).
    const publicFeeds = messages.filter((m) => m.subject === IMPORT_SUBJECTS.geolocation || m.subject === IMPORT_SUBJECTS.sellers);
    expect(cities.some((city) => publicFeeds.some((m) => m.text.includes(city)))).toBe(true);
  });

  it('writes no review text or customer city to any service log', () => {
    const secrets = new Needles(escapedForms([...facts.reviewTexts, ...facts.cities]));
    for (const service of SERVICES) {
      const output = spawned[service]!.output;
      expect(output.split('\n').length).toBeGreaterThan(3);
      expect({ service, leaks: secrets.found(output) }).toEqual({ service, leaks: [] });
    }
  });

  it('still serves the decrypted city with x-olist-pii: allow', async () => {
    const { customer_id: customerId, customer_unique_id: uniqueId } = await one(
      `SELECT customer_id, customer_unique_id FROM customer.customer_ids ORDER BY customer_id LIMIT 1`,
    );
    const source = facts.customers.get(customerId);
    const allowed = (await (await fetch(url('customer', `/customers/${uniqueId}`), { headers: { 'x-olist-pii': 'allow' } })).json()) as {
      accounts: { customerId: string; zipPrefix: string; city: string }[];
    };
    expect(allowed.accounts.find((a) => a.customerId === customerId)).toMatchObject({ zipPrefix: source?.zip, city: source?.city });
    const plain = await (await fetch(url('customer', `/customers/${uniqueId}`))).text();
    expect(plain).not.toContain(source?.city as string);
  });

  it('still computes seller → customer distances, and keeps no customer zip prefix in clear', async () => {
    let checked = 0;
    for (const { orderId, km } of facts.distances) {
      const response = await fetch(url('fulfillment', `/shipments/${orderId}`));
      if (response.status === 404) continue; // quarantined by the quality gate
      const shipment = (await response.json()) as { distanceKm: number | null };
      expect({ orderId, distanceKm: shipment.distanceKm }).toEqual({ orderId, distanceKm: expect.any(Number) });
      expect(Math.abs((shipment.distanceKm as number) - km)).toBeLessThan(0.05);
      checked += 1;
    }
    expect(checked).toBeGreaterThanOrEqual(10);
    const zips = await one(
      `SELECT count(*)::int AS n, count(zip_prefix)::int AS clear, count(zip_sealed)::int AS sealed FROM fulfillment.customer_zips`,
    );
    expect(zips.n).toBeGreaterThan(10_000);
    expect(zips).toEqual({ n: zips.n, clear: 0, sealed: zips.n });
  });
});
