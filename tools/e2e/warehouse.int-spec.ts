import { execFile } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse';
import { Client } from 'pg';
import { Money, unwrap } from '@olist/shared-kernel';
import { createTestDatabase, freePort, OwnNatsServer, TestDatabase } from '@olist/testing';
import { cleanEnv, ROOT, Spawned } from './platform-process';

const run = promisify(execFile);
const SAMPLE = path.resolve(ROOT, '../shared/data/olist-sample');
const hasSample = existsSync(path.join(SAMPLE, 'olist_orders_dataset.csv'));
if (!hasSample) console.warn(`SKIPPED: the Olist sample is not at ${SAMPLE}; the warehouse end-to-end tests do not run`);
const describeWithSample = hasSample ? describe : describe.skip;
jest.setTimeout(420_000);

const SERVICES = ['quality', 'sales', 'fulfillment', 'marketplace', 'customer', 'warehouse'] as const;
const MARTS = {
  revenue_monthly: 'month',
  category_revenue_monthly: 'month, category',
  delivery_by_state: 'state',
  seller_scorecard: 'seller_id',
  payment_mix: 'month, payment_type',
  reviews_vs_delay: 'bucket_order',
  customer_segments: 'state, segment',
  rfm: 'customer_unique_id',
  cohort_retention: 'cohort, months_since',
} as const;

async function* records(file: string): AsyncGenerator<Record<string, string>> {
  yield* createReadStream(path.join(SAMPLE, file)).pipe(parse({ bom: true, columns: true })) as AsyncIterable<Record<string, string>>;
}

const centavos = (text: string) => unwrap(Money.parse(text)).centavos;
/** The data's timestamps are local wall-clock times; read them as UTC so differences are exact. */
const time = (text: string) => Date.parse(`${text.trim().replace(' ', 'T')}Z`);

/**
 * mart.revenue_monthly, delivery_by_state, payment_mix, reviews_vs_delay and cohort_retention
 * computed straight from the CSV files, with the definitions of docs/metrics.md, independently of
 * the platform.
 */
async function expectedFromFiles() {
  const orders = new Map<string, Record<string, string>>();
  for await (const r of records('olist_orders_dataset.csv')) orders.set(r['order_id'] as string, r);
  const customerState = new Map<string, string>();
  for await (const r of records('olist_customers_dataset.csv')) customerState.set(r['customer_id'] as string, (r['customer_state'] as string).trim());
  const items = new Map<string, { n: number; price: number; freight: number }>();
  for await (const r of records('olist_order_items_dataset.csv')) {
    const e = items.get(r['order_id'] as string) ?? { n: 0, price: 0, freight: 0 };
    e.n += 1;
    e.price += centavos(r['price'] as string);
    e.freight += centavos(r['freight_value'] as string);
    items.set(r['order_id'] as string, e);
  }
  const payments = new Map<string, number>();
  const paymentRows: Record<string, string>[] = [];
  for await (const r of records('olist_order_payments_dataset.csv')) {
    payments.set(r['order_id'] as string, (payments.get(r['order_id'] as string) ?? 0) + centavos(r['payment_value'] as string));
    paymentRows.push(r);
  }
  const personOf = new Map<string, string>();
  for await (const r of records('olist_customers_dataset.csv')) personOf.set(r['customer_id'] as string, r['customer_unique_id'] as string);
  const scores = new Map<string, number[]>();
  for await (const r of records('olist_order_reviews_dataset.csv')) {
    scores.set(r['order_id'] as string, [...(scores.get(r['order_id'] as string) ?? []), Number(r['review_score'])]);
  }

  const months = new Map<string, { orders: number; items: number; price: number; freight: number; payments: number }>();
  const states = new Map<string, { delivered: number; late: number; days: number }>();
  for (const [orderId, o] of orders) {
    const its = items.get(orderId);
    if (!its) continue; // an order without items is never placed (docs/metrics.md)
    const month = (o['order_purchase_timestamp'] as string).slice(0, 7);
    const m = months.get(month) ?? { orders: 0, items: 0, price: 0, freight: 0, payments: 0 };
    m.orders += 1;
    m.items += its.n;
    m.price += its.price;
    m.freight += its.freight;
    m.payments += payments.get(orderId) ?? 0;
    months.set(month, m);

    const delivered = o['order_delivered_customer_date'] ?? '';
    const estimated = o['order_estimated_delivery_date'] ?? '';
    if (o['order_status'] !== 'delivered' || delivered === '' || estimated === '') continue;
    const state = customerState.get(o['customer_id'] as string) as string;
    const s = states.get(state) ?? { delivered: 0, late: 0, days: 0 };
    s.delivered += 1;
    if (delivered.slice(0, 10) > estimated.slice(0, 10)) s.late += 1;
    s.days += (time(delivered) - time(o['order_purchase_timestamp'] as string)) / 86_400_000;
    states.set(state, s);
  }
  const money = (c: number) => Money.ofCentavos(c).toDecimalString();
  const revenue = [...months.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, m]) => ({
    month, orders: m.orders, items: m.items, price: money(m.price), freight: money(m.freight), gmv: money(m.price + m.freight),
    payments: money(m.payments), aov: money(Math.round(m.payments / m.orders)),
  }));
  const delivery = [...states.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([state, s]) => ({
    state, delivered: s.delivered, late: s.late, lateRate: s.late / s.delivered, avgDeliveryDays: s.days / s.delivered,
  }));

  // payment_mix: the payments of placed orders per purchase month and payment type.
  const mix = new Map<string, { payments: number; orders: Set<string>; value: number; installments: number }>();
  for (const r of paymentRows) {
    const o = orders.get(r['order_id'] as string);
    if (!o || !items.has(r['order_id'] as string)) continue;
    const key = `${(o['order_purchase_timestamp'] as string).slice(0, 7)} ${r['payment_type']}`;
    const m = mix.get(key) ?? { payments: 0, orders: new Set<string>(), value: 0, installments: 0 };
    m.payments += 1;
    m.orders.add(r['order_id'] as string);
    m.value += centavos(r['payment_value'] as string);
    m.installments += Number(r['payment_installments']);
    mix.set(key, m);
  }
  const paymentMix = [...mix.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, m]) => {
    const [month, type] = key.split(' ') as [string, string];
    return { month, payment_type: type, payments: m.payments, orders: m.orders.size, value: money(m.value), avgInstallments: m.installments / m.payments };
  });

  // reviews_vs_delay: the reviews of delivered orders by delivered day − estimated day.
  const BUCKETS: [string, number][] = [['early 8+ days', -8], ['early 1-7 days', -1], ['on the day', 0], ['late 1-3 days', 3], ['late 4-7 days', 7], ['late 8-14 days', 14], ['late 15+ days', Infinity]];
  const reviewed = BUCKETS.map(([bucket]) => ({ bucket, orders: 0, reviews: 0, sum: 0 }));
  const day = (text: string) => Date.parse(`${text.slice(0, 10)}T00:00:00Z`) / 86_400_000;
  for (const [orderId, o] of orders) {
    const delivered = o['order_delivered_customer_date'] ?? '';
    const estimated = o['order_estimated_delivery_date'] ?? '';
    const its = scores.get(orderId);
    if (!items.has(orderId) || o['order_status'] !== 'delivered' || delivered === '' || estimated === '' || !its) continue;
    const delay = day(delivered) - day(estimated);
    const b = reviewed[BUCKETS.findIndex(([, max]) => delay <= max)] as (typeof reviewed)[number];
    b.orders += 1;
    b.reviews += its.length;
    b.sum += its.reduce((a, x) => a + x, 0);
  }
  const reviews = reviewed.map((b) => ({ bucket: b.bucket, orders: b.orders, reviews: b.reviews, avgScore: b.reviews ? b.sum / b.reviews : null }));

  // cohort_retention: persons by the month of their first order (not canceled or unavailable).
  const monthsOf = new Map<string, Set<string>>();
  for (const [orderId, o] of orders) {
    if (!items.has(orderId) || ['canceled', 'unavailable'].includes(o['order_status'] as string)) continue;
    const person = personOf.get(o['customer_id'] as string) as string;
    monthsOf.set(person, (monthsOf.get(person) ?? new Set<string>()).add((o['order_purchase_timestamp'] as string).slice(0, 7)));
  }
  const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
  const cohorts = new Map<string, { size: number; active: Map<number, number> }>();
  for (const months of monthsOf.values()) {
    const first = [...months].sort()[0] as string;
    const c = cohorts.get(first) ?? { size: 0, active: new Map<number, number>() };
    c.size += 1;
    for (const m of months) c.active.set(monthIndex(m) - monthIndex(first), (c.active.get(monthIndex(m) - monthIndex(first)) ?? 0) + 1);
    cohorts.set(first, c);
  }
  const retention = [...cohorts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([cohort, c]) => [...c.active.entries()].sort(([a], [b]) => a - b).map(([since, customers]) => ({ cohort, months_since: since, cohort_size: c.size, customers })));
  return { revenue, delivery, paymentMix, reviews, retention };
}

describeWithSample('warehouse on the real Olist sample', () => {
  let db: TestDatabase;
  let nats: OwnNatsServer;
  let env: NodeJS.ProcessEnv;
  let admin: Client;
  let warehouseUrl: string;
  const services: Spawned[] = [];

  const olist = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, ['bin/olist.js', ...args], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 }).catch(
      (error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr }),
    );
    return JSON.parse(stdout) as Record<string, unknown>;
  };
  const api = async (p: string) => (await fetch(`${warehouseUrl}${p}`)).json() as Promise<Record<string, unknown>>;
  /** The distance of each shipment in the warehouse's fact_deliveries beside fulfillment's own. */
  const deliveryDistances = async () =>
    (
      await admin.query<{ order_id: string; warehouse: number | null; fulfillment: number | null }>(
        `SELECT d.order_id, d.distance_km::float8 AS warehouse, s.distance_km AS fulfillment
           FROM core.fact_deliveries d JOIN fulfillment.shipments s ON s.order_id = d.order_id ORDER BY d.order_id`,
      )
    ).rows;
  /** Each product's English category name in the warehouse's dim_product beside marketplace's own. */
  const productNames = async () =>
    (
      await admin.query<{ product_id: string; warehouse: string | null; marketplace: string | null }>(
        `SELECT p.product_id, d.category_en AS warehouse, p.category_en AS marketplace
           FROM marketplace.products p LEFT JOIN core.dim_product d ON d.product_id = p.product_id ORDER BY p.product_id`,
      )
    ).rows;
  const marts = async () => {
    const out: Record<string, unknown[]> = {};
    for (const [mart, order] of Object.entries(MARTS)) out[mart] = (await admin.query(`SELECT * FROM mart.${mart} ORDER BY ${order}`)).rows;
    return out;
  };

  beforeAll(async () => {
    [db, nats] = await Promise.all([createTestDatabase('warehouse_e2e'), OwnNatsServer.start()]);
    const ports: Record<string, string> = {};
    for (const s of [...SERVICES, 'gateway']) ports[`${s.toUpperCase()}_PORT`] = String(await freePort());
    env = cleanEnv({ DATABASE_URL: db.url, NATS_URL: nats.url, ...ports });
    warehouseUrl = `http://127.0.0.1:${ports['WAREHOUSE_PORT']}`;
    for (const s of SERVICES) services.push(Spawned.node([`dist/apps/${s}/src/main.js`], env));
    await Promise.all(services.map((s, i) => s.waitFor(`${SERVICES[i]} listening`, 90_000)));
    admin = new Client({ connectionString: db.url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    for (const s of services) s.child.kill('SIGTERM');
    await Promise.all(services.map((s) => s.exited));
    await nats?.dispose();
    await db?.drop();
  });

  let before: Record<string, unknown[]>;

  it('builds revenue_monthly, delivery_by_state, payment_mix, reviews_vs_delay and cohort_retention equal to the figures computed from the CSV files', async () => {
    const expected = await expectedFromFiles();
    const started = Date.now();
    const load = await olist('load', SAMPLE, '--json', '--wait', '--wait-timeout', '300');
    console.log(`warehouse: sample loaded and projected in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(load).toMatchObject({ status: 'published', caughtUp: true });

    const revenue = (await api('/marts/revenue_monthly?limit=1000')) as { total: number; rows: unknown[] };
    expect(revenue.total).toBe(expected.revenue.length);
    expect(revenue.rows).toEqual(expected.revenue);

    const delivery = (await api('/marts/delivery_by_state?limit=1000')) as { rows: Record<string, string | number>[] };
    expect(delivery.rows.map((r) => ({ state: r['state'], delivered: r['delivered'], late: r['late'] }))).toEqual(
      expected.delivery.map(({ state, delivered, late }) => ({ state, delivered, late })),
    );
    expected.delivery.forEach((e, i) => {
      expect(Number(delivery.rows[i]?.['late_rate'])).toBeCloseTo(e.lateRate, 9);
      expect(Number(delivery.rows[i]?.['avg_delivery_days'])).toBeCloseTo(e.avgDeliveryDays, 9);
    });
    // The other marts with a definition that reads straight off the files.
    const mix = (await api('/marts/payment_mix?limit=1000')) as { rows: Record<string, string | number>[] };
    expect(mix.rows.map(({ avg_installments: _, ...r }) => r)).toEqual(expected.paymentMix.map(({ avgInstallments: _, ...r }) => r));
    expected.paymentMix.forEach((e, i) => expect(Number(mix.rows[i]?.['avg_installments'])).toBeCloseTo(e.avgInstallments, 9));
    const reviews = (await api('/marts/reviews_vs_delay?limit=1000')) as { rows: Record<string, string | number | null>[] };
    expect(reviews.rows.map((r) => ({ bucket: r['bucket'], orders: r['orders'], reviews: r['reviews'] }))).toEqual(
      expected.reviews.map(({ bucket, orders, reviews: n }) => ({ bucket, orders, reviews: n })),
    );
    expected.reviews.forEach((e, i) => expect(Number(reviews.rows[i]?.['avg_score'])).toBeCloseTo(e.avgScore ?? 0, 9));
    const cohorts = (await api('/marts/cohort_retention?limit=1000')) as { total: number; rows: Record<string, string | number>[] };
    expect(cohorts.total).toBe(expected.retention.length);
    expect(cohorts.rows.map(({ retention: _, ...r }) => r)).toEqual(expected.retention);

    before = await marts();
    expect(before['seller_scorecard']?.length).toBeGreaterThan(1000);
    expect(before['rfm']?.length).toBeGreaterThan(10_000);

    // Every shipment's distance in the warehouse is the one fulfillment worked out last, however
    // late the centroids it depends on arrived (a distance changed after publication is announced).
    const distances = await deliveryDistances();
    expect(distances.length).toBeGreaterThan(10_000);
    expect(distances.filter((d) => d.warehouse !== d.fulfillment)).toEqual([]);
    expect(distances.filter((d) => d.warehouse !== null).length).toBeGreaterThan(distances.length / 2);

    // Every product's English category name is marketplace's, whether its category's translation
    // arrived before or after it (a late one is told by category-translated).
    const names = await productNames();
    expect(names.length).toBeGreaterThan(1000);
    expect(names.filter((n) => n.warehouse !== n.marketplace)).toEqual([]);
    expect(names.filter((n) => n.warehouse !== null).length).toBeGreaterThan(names.length / 2);
  });

  it('reconciles the marts with the contexts to the centavo', async () => {
    const status = await olist('status', '--json');
    const reconciliation = status['reconciliation'] as { ok: boolean; fresh: boolean; checks: { name: string; ok: boolean }[] };
    expect(reconciliation.checks.filter((c) => !c.ok)).toEqual([]);
    expect(reconciliation).toMatchObject({ ok: true, fresh: true });
    expect(reconciliation.checks.length).toBeGreaterThanOrEqual(10);
  });

  it('gives identical marts after olist replay', async () => {
    const replay = await olist('replay', '--json', '--wait-timeout', '300');
    expect((replay['reconciliation'] as { checks: { ok: boolean }[] }).checks.filter((c) => !c.ok)).toEqual([]);
    expect(replay).toMatchObject({ replayed: true, caughtUp: true, reconciliation: { ok: true } });
    expect(await marts()).toEqual(before);
    expect((await deliveryDistances()).filter((d) => d.warehouse !== d.fulfillment)).toEqual([]);
    expect((await productNames()).filter((n) => n.warehouse !== n.marketplace)).toEqual([]);
  });

  it('serves every mart with filters and paging, and refuses a filter a mart does not have', async () => {
    const catalog = (await api('/marts')) as { marts: { name: string }[] };
    expect(catalog.marts.map((m) => m.name).sort()).toEqual(Object.keys(MARTS).sort());
    const sp = (await api('/marts/seller_scorecard?state=SP&limit=5&offset=5')) as { total: number; rows: { state: string }[] };
    expect(sp.rows).toHaveLength(5);
    expect(sp.rows.every((r) => r.state === 'SP')).toBe(true);
    expect(sp.total).toBe((before['seller_scorecard'] as { state: string }[]).filter((r) => r.state === 'SP').length);
    const range = (await api('/marts/payment_mix?from=2017-03&to=2017-05')) as { rows: { month: string }[] };
    expect([...new Set(range.rows.map((r) => r.month))]).toEqual(['2017-03', '2017-04', '2017-05']);
    const refused = await fetch(`${warehouseUrl}/marts/revenue_monthly?seller=x`);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toBe('mart revenue_monthly cannot be filtered by seller (it accepts from, to)');
  });
});
