import { execFile } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { parse } from 'csv-parse';
import { Client } from 'pg';
import { Money, unwrap } from '@olist/shared-kernel';
import { createTestDatabase, freePort, OwnNatsServer, TestDatabase } from '@olist/testing';
import { cleanEnv, ROOT, Spawned } from './platform-process';

const run = promisify(execFile);
const SAMPLE = path.resolve(ROOT, '../shared/data/olist-sample');
const hasSample = existsSync(path.join(SAMPLE, 'olist_orders_dataset.csv'));
if (!hasSample) console.warn(`SKIPPED: the Olist sample is not at ${SAMPLE}; the sales end-to-end tests do not run`);
const describeWithSample = hasSample ? describe : describe.skip;
jest.setTimeout(240_000);

async function* records(file: string): AsyncGenerator<Record<string, string>> {
  yield* createReadStream(path.join(SAMPLE, file)).pipe(parse({ bom: true, columns: true })) as AsyncIterable<Record<string, string>>;
}

const centavos = (text: string) => unwrap(Money.parse(text)).centavos;

/** The figures of the three sales files, computed from the CSV independently of the platform. */
async function fileFigures() {
  const orderIds = new Set<string>();
  for await (const r of records('olist_orders_dataset.csv')) orderIds.add(r['order_id'] as string);
  let items = 0;
  let itemsTotal = 0;
  let freightTotal = 0;
  const withItems = new Set<string>();
  for await (const r of records('olist_order_items_dataset.csv')) {
    items++;
    itemsTotal += centavos(r['price'] as string);
    freightTotal += centavos(r['freight_value'] as string);
    withItems.add(r['order_id'] as string);
  }
  let payments = 0;
  let paymentsTotal = 0;
  for await (const r of records('olist_order_payments_dataset.csv')) {
    payments++;
    paymentsTotal += centavos(r['payment_value'] as string);
  }
  const withoutItems = [...orderIds].filter((id) => !withItems.has(id)).length;
  return { orders: orderIds.size, items, payments, itemsTotal, freightTotal, orderTotal: itemsTotal + freightTotal, paymentsTotal, withoutItems };
}

interface LoadJson {
  loadId: string;
  status: string;
  caughtUp?: boolean;
  files: Record<string, { records: number; accepted: number }>;
  feed: { changedRows: number; messages: number };
}

describeWithSample('sales on the real Olist sample', () => {
  let db: TestDatabase;
  let nats: OwnNatsServer;
  let quality: Spawned;
  let sales: Spawned;
  let env: NodeJS.ProcessEnv;
  let admin: Client;
  let salesUrl: string;

  const olist = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, ['bin/olist.js', ...args], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
    return JSON.parse(stdout) as LoadJson;
  };
  /** Seconds the sales import consumers spent applying batches (their transactions), from /metrics. */
  const applySeconds = async () => {
    const text = await (await fetch(`${salesUrl}/metrics`)).text();
    return [...text.matchAll(/^olist_consumer_batch_seconds_sum\{[^}]*consumer="sales-import-[a-z]+"[^}]*\} (\S+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
  };
  const one = async (sql: string) => (await admin.query(sql)).rows[0];

  /** What the sales schema holds: counts and money sums in centavos. */
  const salesFigures = async () =>
    one(`SELECT (SELECT count(*)::int FROM sales.orders) AS orders,
                (SELECT count(*)::int FROM sales.order_items i WHERE EXISTS (SELECT 1 FROM sales.orders o WHERE o.order_id = i.order_id)) AS items,
                (SELECT count(*)::int FROM sales.order_payments p WHERE EXISTS (SELECT 1 FROM sales.orders o WHERE o.order_id = p.order_id)) AS payments,
                (SELECT COALESCE(sum(price_centavos), 0)::bigint::float8 FROM sales.order_items i WHERE EXISTS (SELECT 1 FROM sales.orders o WHERE o.order_id = i.order_id)) AS "itemsTotal",
                (SELECT COALESCE(sum(freight_centavos), 0)::bigint::float8 FROM sales.order_items i WHERE EXISTS (SELECT 1 FROM sales.orders o WHERE o.order_id = i.order_id)) AS "freightTotal",
                (SELECT COALESCE(sum(order_total_centavos), 0)::bigint::float8 FROM sales.orders) AS "orderTotal",
                (SELECT COALESCE(sum(value_centavos), 0)::bigint::float8 FROM sales.order_payments p WHERE EXISTS (SELECT 1 FROM sales.orders o WHERE o.order_id = p.order_id)) AS "paymentsTotal",
                (SELECT count(*)::int FROM sales.orders WHERE issues @> '[{"code":"ORDER.NO_ITEMS"}]') AS "withoutItems"`);
  const bookkeeping = async () =>
    one(`SELECT (SELECT count(*)::int FROM sales.outbox_events) AS outbox,
                (SELECT count(*)::int FROM sales.order_items i WHERE NOT EXISTS (SELECT 1 FROM sales.orders o WHERE o.order_id = i.order_id))
                  + (SELECT count(*)::int FROM sales.order_payments p WHERE NOT EXISTS (SELECT 1 FROM sales.orders o WHERE o.order_id = p.order_id)) AS waiting,
                (SELECT count(*)::int FROM sales.import_rejections) AS rejections,
                (SELECT count(*)::int FROM sales.dead_letter) AS "deadLetters",
                (SELECT max(updated_at) FROM sales.orders) AS "lastUpdate"`);

  beforeAll(async () => {
    [db, nats] = await Promise.all([createTestDatabase('sales_e2e'), OwnNatsServer.start()]);
    const salesPort = await freePort();
    env = cleanEnv({ DATABASE_URL: db.url, NATS_URL: nats.url, QUALITY_PORT: String(await freePort()), SALES_PORT: String(salesPort) });
    salesUrl = `http://127.0.0.1:${salesPort}`;
    quality = Spawned.node(['dist/apps/quality/src/main.js'], env);
    sales = Spawned.node(['dist/apps/sales/src/main.js'], env);
    await Promise.all([quality.waitFor('quality listening', 60_000), sales.waitFor('sales listening', 60_000)]);
    admin = new Client({ connectionString: db.url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    for (const service of [sales, quality]) service?.child.kill('SIGTERM');
    await Promise.all([sales?.exited, quality?.exited]);
    await nats?.dispose();
    await db?.drop();
  });

  let expected: Awaited<ReturnType<typeof fileFigures>>;
  let first: LoadJson;

  it('holds every order, item and payment of the files, with money totals equal to the centavo', async () => {
    expected = await fileFigures();
    const started = Date.now();
    first = await olist('load', SAMPLE, '--json', '--wait', '--wait-timeout', '180');
    console.log(`sales: sample loaded and applied in ${Date.now() - started} ms, of which ${(await applySeconds()).toFixed(2)} s in the sales import transactions`);
    expect(first).toMatchObject({ status: 'published', caughtUp: true });
    for (const file of ['olist_orders_dataset.csv', 'olist_order_items_dataset.csv', 'olist_order_payments_dataset.csv']) {
      expect({ file, accepted: first.files[file]?.accepted }).toEqual({ file, accepted: first.files[file]?.records });
    }
    const { withoutItems, ...figures } = expected;
    expect(await salesFigures()).toEqual({ ...figures, withoutItems });
    expect(await bookkeeping()).toMatchObject({ waiting: 0, rejections: 0, deadLetters: 0 });
  });

  it('keeps the 115 orders without items, each with its reason', async () => {
    expect(expected.withoutItems).toBe(115);
    const { rows } = await admin.query(
      `SELECT status, item_count, issues FROM sales.orders WHERE issues @> '[{"code":"ORDER.NO_ITEMS"}]'`,
    );
    expect(rows).toHaveLength(115);
    for (const row of rows) {
      expect(row.item_count).toBe(0);
      expect(row.issues[0]).toEqual({ code: 'ORDER.NO_ITEMS', message: expect.any(String) });
    }
  });

  it('serves an order with its items and payments, money as decimal strings', async () => {
    const { order_id: id, customer_id: customerId } = await one(
      `SELECT o.order_id, o.customer_id FROM sales.orders o WHERE o.item_count > 1 AND o.payment_count > 1 ORDER BY o.order_id LIMIT 1`,
    );
    const order = (await (await fetch(`${salesUrl}/orders/${id}`)).json()) as { orderTotal: string; items: { price: string }[]; payments: unknown[] };
    const sums = await one(`SELECT order_total_centavos::int AS total, item_count, payment_count FROM sales.orders WHERE order_id = '${id}'`);
    expect(order.orderTotal).toBe(Money.ofCentavos(sums.total).toDecimalString());
    expect(order.items).toHaveLength(sums.item_count);
    expect(order.payments).toHaveLength(sums.payment_count);
    expect(order.items[0]?.price).toMatch(/^\d+\.\d{2}$/);
    const listed = (await (await fetch(`${salesUrl}/customers/${customerId}/orders`)).json()) as { orders: { orderId: string }[] };
    expect(listed.orders.map((o) => o.orderId)).toContain(id);
    expect((await fetch(`${salesUrl}/orders/does-not-exist`)).status).toBe(404);

    // The gateway's way in: Nest request-reply over NATS.
    const nc = await connect({ servers: nats.url });
    try {
      const ask = async (orderId: string) =>
        (await nc.request('olist.rpc.sales.order', JSON.stringify({ pattern: 'olist.rpc.sales.order', data: { orderId }, id: '1' }), { timeout: 5_000 })).json<{
          response: { orderId?: string; orderTotal?: string; error?: string };
        }>().response;
      expect(await ask(id)).toMatchObject({ orderId: id, orderTotal: order.orderTotal });
      expect(await ask('does-not-exist')).toMatchObject({ error: 'NOT_FOUND' });
    } finally {
      await nc.close();
    }
  });

  it('changes nothing when the same files are loaded again, even when every row is published again', async () => {
    const figures = await salesFigures();
    const before = await bookkeeping();
    const unchanged = await olist('load', SAMPLE, '--json', '--wait', '--wait-timeout', '120');
    expect(unchanged).toMatchObject({ status: 'unchanged' });
    expect(await salesFigures()).toEqual(figures);
    expect(await bookkeeping()).toEqual(before);

    // Without the staging data of the last published load, quality publishes every accepted row again.
    await admin.query(`DROP TABLE staging."orders_${unchanged.loadId.replace(/-/g, '')}"`);
    const spent = await applySeconds();
    const again = await olist('load', SAMPLE, '--json', '--wait', '--wait-timeout', '180');
    console.log(`sales: every row again applied in ${(await applySeconds()) - spent} s of import transactions`);
    expect(again.feed.changedRows).toBeGreaterThan(expected.orders + expected.items + expected.payments);
    expect(await salesFigures()).toEqual(figures);
    expect(await bookkeeping()).toEqual(before);
  });
});
