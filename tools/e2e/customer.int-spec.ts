import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { parse } from 'csv-parse';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { createTestDatabase, freePort, OwnNatsServer, TestDatabase } from '@olist/testing';
import { cleanEnv, ROOT, Spawned } from './platform-process';

const run = promisify(execFile);
const SAMPLE = path.resolve(ROOT, '../shared/data/olist-sample');
const hasSample = existsSync(path.join(SAMPLE, 'olist_customers_dataset.csv'));
if (!hasSample) console.warn(`SKIPPED: the Olist sample is not at ${SAMPLE}; the customer end-to-end tests do not run`);
const describeWithSample = hasSample ? describe : describe.skip;
jest.setTimeout(240_000);

async function* records(file: string): AsyncGenerator<Record<string, string>> {
  yield* createReadStream(path.join(SAMPLE, file)).pipe(parse({ bom: true, columns: true })) as AsyncIterable<Record<string, string>>;
}

/** Figures of the two files, and personal values taken from them that must never leave the customer schema in clear. */
async function fileFigures() {
  const uniqueIds = new Set<string>();
  const cities = new Set<string>();
  for await (const r of records('olist_customers_dataset.csv')) {
    uniqueIds.add(r['customer_unique_id'] as string);
    const city = (r['customer_city'] as string).trim();
    // Long enough, and not made of hex digits only, so it cannot occur by chance inside an id.
    if (city.length >= 8 && /[g-z]/.test(city) && cities.size < 100) cities.add(city);
  }
  let reviews = 0;
  const messages = new Set<string>();
  for await (const r of records('olist_order_reviews_dataset.csv')) {
    reviews += 1;
    const message = (r['review_comment_message'] as string).trim();
    if (message.length >= 20 && messages.size < 300) messages.add(message);
  }
  return { customers: uniqueIds.size, reviews, secrets: [...cities, ...messages] };
}

const SEGMENTS = ['VIP', 'LOYAL', 'REGULAR', 'ONE_TIME', 'NEW', 'CHURNED'] as const;

/** Copies one sample file as it is into a temporary table; `line` is its CSV line (the files have no embedded line breaks). */
async function copyToTemp(client: Client, table: string, file: string, columns: string) {
  await client.query(`CREATE TEMP TABLE ${table} (n bigint GENERATED ALWAYS AS IDENTITY, ${columns.split(',').map((c) => `${c.trim()} text`).join(', ')})`);
  await pipeline(createReadStream(path.join(SAMPLE, file)), client.query(copyFrom(`COPY ${table} (${columns}) FROM STDIN (FORMAT csv, HEADER true)`)));
  await client.query(`ALTER TABLE ${table} ADD COLUMN line int`);
  await client.query(`UPDATE ${table} SET line = n + 1`);
}

interface LoadJson {
  loadId: string;
  status: string;
  caughtUp?: boolean;
  files: Record<string, { records: number; accepted: number }>;
}

describeWithSample('customer on the real Olist sample', () => {
  let db: TestDatabase;
  let nats: OwnNatsServer;
  let quality: Spawned;
  let sales: Spawned;
  let customer: Spawned;
  let env: NodeJS.ProcessEnv;
  let admin: Client;
  let customerUrl: string;

  const olist = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, ['bin/olist.js', ...args], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
    return JSON.parse(stdout) as LoadJson;
  };
  const one = async (sql: string) => (await admin.query(sql)).rows[0];

  /** What the customer schema holds. */
  const schemaFigures = async () =>
    one(`SELECT (SELECT count(*)::int FROM customer.customers) AS customers,
                (SELECT count(*)::int FROM customer.customer_ids) AS "customerIds",
                (SELECT count(*)::int FROM customer.reviews) AS reviews,
                (SELECT count(*)::int FROM customer.import_exceptions) AS refused,
                (SELECT count(*)::int FROM customer.outbox_events) AS outbox,
                (SELECT count(*)::int FROM customer.order_facts) AS "orderFacts",
                (SELECT generation::int FROM customer.segment_work) AS "segmentInputs",
                (SELECT max(updated_at) FROM customer.segments) AS "lastSegmentUpdate",
                (SELECT count(*)::int FROM customer.dead_letter) AS "deadLetters",
                (SELECT max(updated_at) FROM customer.customer_ids) AS "lastAccountUpdate",
                (SELECT max(updated_at) FROM customer.reviews) AS "lastReviewUpdate"`);

  /** Every message of OLIST_CUSTOMER (a batch message holds several events), as text, once the outbox has all been published. */
  async function customerStream(expected: number): Promise<string[]> {
    const nc = await connect({ servers: nats.url });
    try {
      const jsm = await jetstreamManager(nc);
      const deadline = Date.now() + 60_000;
      while ((await jsm.streams.info('OLIST_CUSTOMER')).state.messages < expected) {
        if (Date.now() > deadline) throw new Error(`OLIST_CUSTOMER holds fewer than ${expected} messages`);
        await new Promise((r) => setTimeout(r, 250));
      }
      const consumer = await jetstream(nc).consumers.get('OLIST_CUSTOMER');
      const texts: string[] = [];
      const messages = await consumer.consume();
      for await (const m of messages) {
        texts.push(m.string());
        if (texts.length >= expected) break;
      }
      return texts;
    } finally {
      await nc.close();
    }
  }

  beforeAll(async () => {
    [db, nats] = await Promise.all([createTestDatabase('customer_e2e'), OwnNatsServer.start()]);
    const port = await freePort();
    env = cleanEnv({
      DATABASE_URL: db.url,
      NATS_URL: nats.url,
      QUALITY_PORT: String(await freePort()),
      SALES_PORT: String(await freePort()),
      CUSTOMER_PORT: String(port),
      CUSTOMER_PII_KEYS: `e2e:${randomBytes(32).toString('base64')}`,
    });
    customerUrl = `http://127.0.0.1:${port}`;
    quality = Spawned.node(['dist/apps/quality/src/main.js'], env);
    // Sales runs too: its order events feed the customer metrics and segments.
    sales = Spawned.node(['dist/apps/sales/src/main.js'], env);
    customer = Spawned.node(['dist/apps/customer/src/main.js'], env);
    await Promise.all([
      quality.waitFor('quality listening', 60_000),
      sales.waitFor('sales listening', 60_000),
      customer.waitFor('customer listening', 60_000),
    ]);
    admin = new Client({ connectionString: db.url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    for (const service of [customer, sales, quality]) service?.child.kill('SIGTERM');
    await Promise.all([customer?.exited, sales?.exited, quality?.exited]);
    await nats?.dispose();
    await db?.drop();
  });

  let expected: Awaited<ReturnType<typeof fileFigures>>;

  it('holds exactly the distinct customers and every review of the files, encrypted', async () => {
    expected = await fileFigures();
    expect(expected.reviews).toBe(14_944);
    expect(expected.secrets.length).toBeGreaterThan(200);
    const started = Date.now();
    const first = await olist('load', SAMPLE, '--json', '--wait', '--wait-timeout', '180');
    console.log(`customer: sample loaded and applied in ${Date.now() - started} ms`);
    expect(first).toMatchObject({ status: 'published', caughtUp: true });
    for (const file of ['olist_customers_dataset.csv', 'olist_order_reviews_dataset.csv']) {
      expect({ file, accepted: first.files[file]?.accepted }).toEqual({ file, accepted: first.files[file]?.records });
    }
    const figures = await schemaFigures();
    expect(figures).toMatchObject({ customers: expected.customers, reviews: expected.reviews, refused: 0, deadLetters: 0 });
    const events = (await admin.query(`SELECT type, count(*)::int AS n FROM customer.outbox_events GROUP BY type ORDER BY type`)).rows;
    const count = (type: string) => events.find((e) => e.type === type)?.n;
    // A person whose customer ids arrive in different batches is registered once per batch that adds ids.
    expect(count('customer.customer-registered')).toBeGreaterThanOrEqual(expected.customers);
    expect(count('customer.review-submitted')).toBe(expected.reviews);
    console.log(`customer: ${figures.customers} customers, ${figures.customerIds} customer ids, ${figures.reviews} reviews; events ${JSON.stringify(events)}`);
  });

  it('segments every person as an independent SQL computation over the files does', async () => {
    // Wait until the sales events are applied and the recomputer has caught up with them.
    let served: { asOf: string | null; total: number; segments: Record<string, number> } | undefined;
    const deadline = Date.now() + 120_000;
    for (;;) {
      const work = await one(`SELECT generation = computed_generation AS done FROM customer.segment_work`);
      served = (await (await fetch(`${customerUrl}/segments`)).json()) as typeof served;
      if (work.done && served?.total === expected.customers) break;
      if (Date.now() > deadline) throw new Error(`segments not computed in time: ${JSON.stringify(served)}`);
      await new Promise((r) => setTimeout(r, 500));
    }

    // Independent computation: the three files copied into temporary tables, plain SQL with the
    // definitions of docs/metrics.md. Rows the quality gate quarantined never reach the contexts,
    // so exactly those rows (file and line, from `olist quarantine`) are left out here too.
    await copyToTemp(admin, 'f_customers', 'olist_customers_dataset.csv', 'customer_id, customer_unique_id, customer_zip_code_prefix, customer_city, customer_state');
    await copyToTemp(admin, 'f_orders', 'olist_orders_dataset.csv',
      'order_id, customer_id, order_status, order_purchase_timestamp, order_approved_at, order_delivered_carrier_date, order_delivered_customer_date, order_estimated_delivery_date');
    await copyToTemp(admin, 'f_items', 'olist_order_items_dataset.csv', 'order_id, order_item_id, product_id, seller_id, shipping_limit_date, price, freight_value');
    const { stdout } = await run(process.execPath, ['bin/olist.js', 'quarantine', 'latest', '--json'], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
    const quarantined = (JSON.parse(stdout) as { quarantined: { file: string; line: number }[] }).quarantined;
    for (const [table, file] of [['f_customers', 'olist_customers_dataset.csv'], ['f_orders', 'olist_orders_dataset.csv'], ['f_items', 'olist_order_items_dataset.csv']]) {
      await admin.query(`DELETE FROM ${table} WHERE line = ANY($1::int[])`, [quarantined.filter((q) => q.file === file).map((q) => q.line)]);
    }
    const { rows } = await admin.query(`
      WITH totals AS (                -- an order exists for the contexts once it has items: total = Σ price + freight
        SELECT order_id, sum(price::numeric + freight_value::numeric) AS total FROM f_items GROUP BY order_id),
      orders AS (
        SELECT o.order_id, o.customer_id, o.order_status, o.order_purchase_timestamp::timestamp AS purchased_at, t.total
          FROM f_orders o JOIN totals t USING (order_id)),
      as_of AS (SELECT max(purchased_at) AS t FROM orders),
      persons AS (SELECT DISTINCT customer_unique_id FROM f_customers),
      metrics AS (
        SELECT p.customer_unique_id, count(DISTINCT o.order_id) AS orders, COALESCE(sum(o.total), 0) AS monetary, max(o.purchased_at) AS last_order
          FROM persons p
          LEFT JOIN f_customers c ON c.customer_unique_id = p.customer_unique_id
          LEFT JOIN orders o ON o.customer_id = c.customer_id AND o.order_status NOT IN ('canceled', 'unavailable')
         GROUP BY p.customer_unique_id)
      SELECT CASE WHEN last_order IS NOT NULL AND (SELECT t FROM as_of) - last_order > interval '180 days' THEN 'CHURNED'
                  WHEN orders > 5 AND monetary > 1000 THEN 'VIP'
                  WHEN orders > 5 THEN 'LOYAL'
                  WHEN orders > 1 THEN 'REGULAR'
                  WHEN orders = 1 THEN 'ONE_TIME'
                  ELSE 'NEW' END AS segment,
             count(*)::int AS n, (SELECT to_char(t, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') FROM as_of) AS as_of
        FROM metrics GROUP BY 1`);
    const independent = Object.fromEntries(SEGMENTS.map((s) => [s, rows.find((r) => r.segment === s)?.n ?? 0]));
    const total = rows.reduce((sum, r) => sum + r.n, 0);
    console.log(`customer: segments as of ${served?.asOf} ${JSON.stringify(served?.segments)} (total ${served?.total}); independent SQL as of ${rows[0]?.as_of} ${JSON.stringify(independent)} (total ${total}); ${quarantined.length} quarantine verdicts`);
    expect(Object.keys(served?.segments ?? {})).toEqual([...SEGMENTS]);
    expect(served).toEqual({ asOf: rows[0]?.as_of, total, segments: independent });
    expect(total).toBe(expected.customers);

    const events = await one(`SELECT count(*)::int AS n FROM customer.outbox_events WHERE type = 'customer.customer-segment-changed'`);
    expect(events.n).toBeGreaterThanOrEqual(expected.customers);
    const { customer_unique_id: uniqueId, segment } = await one(`SELECT customer_unique_id, segment FROM customer.segments WHERE orders > 1 ORDER BY 1 LIMIT 1`);
    const person = (await (await fetch(`${customerUrl}/customers/${uniqueId}`)).json()) as { segment: Record<string, unknown> };
    expect(person.segment).toEqual({ segment, orders: expect.any(Number), monetary: expect.stringMatching(/^\d+\.\d{2}$/), lastOrderAt: expect.any(String), asOf: served?.asOf });
  });

  it('serves personal fields decrypted only with x-olist-pii: allow', async () => {
    const { customer_unique_id: uniqueId } = await one(`SELECT customer_unique_id FROM customer.customers ORDER BY customer_unique_id LIMIT 1`);
    const plain = await (await fetch(`${customerUrl}/customers/${uniqueId}`)).json();
    expect(plain).toMatchObject({ customerUniqueId: uniqueId, state: expect.stringMatching(/^[A-Z]{2}$/) });
    expect(JSON.stringify(plain)).not.toMatch(/zipPrefix|city/);
    const allowed = (await (await fetch(`${customerUrl}/customers/${uniqueId}`, { headers: { 'x-olist-pii': 'allow' } })).json()) as { accounts: { zipPrefix: string; city: string }[] };
    expect(allowed.accounts[0]).toMatchObject({ zipPrefix: expect.stringMatching(/^\d{5}$/), city: expect.any(String) });
    expect((await fetch(`${customerUrl}/customers/does-not-exist`)).status).toBe(404);

    const { order_id: orderId } = await one(`SELECT order_id FROM customer.reviews WHERE message IS NOT NULL ORDER BY order_id LIMIT 1`);
    const reviews = (await (await fetch(`${customerUrl}/orders/${orderId}/reviews`)).json()) as Record<string, unknown>[];
    expect(reviews[0]).toMatchObject({ orderId, hasComment: true });
    expect(reviews[0]).not.toHaveProperty('message');
    const texts = (await (await fetch(`${customerUrl}/orders/${orderId}/reviews`, { headers: { 'x-olist-pii': 'allow' } })).json()) as { message: string }[];
    expect(texts.some((r) => typeof r.message === 'string' && r.message.length > 0)).toBe(true);
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
    // Past the recomputer's quiet window: identical data marks nothing dirty and emits no segment change.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await schemaFigures()).toEqual(before);
  });

  it('lets no clear personal value into the OLIST_CUSTOMER stream or the service log', async () => {
    // One message per outbox row (a row holds a batch of events of one subject).
    const rows = (await admin.query(`SELECT count(*)::int AS n FROM customer.outbox`)).rows[0].n as number;
    const messages = await customerStream(rows);
    expect(messages).toHaveLength(rows);
    const events = messages.reduce((n, text) => n + (text.startsWith('[') ? (JSON.parse(text) as unknown[]).length : 1), 0);
    expect(events).toBe((await schemaFigures()).outbox);
    const escaped = expected.secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]);
    const leaks = (text: string) => escaped.filter((s) => text.includes(s));
    expect(messages.flatMap(leaks)).toEqual([]);
    expect(leaks(customer.output)).toEqual([]);
  });
});
