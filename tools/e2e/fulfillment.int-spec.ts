import { execFile } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { parse } from 'csv-parse';
import { Client } from 'pg';
import { GeoPoint, isInsideBrazil, ZipPrefix } from '@olist/shared-kernel';
import { createTestDatabase, freePort, OwnNatsServer, TestDatabase } from '@olist/testing';
import { cleanEnv, ROOT, Spawned } from './platform-process';

const run = promisify(execFile);
const SAMPLE = path.resolve(ROOT, '../shared/data/olist-sample');
const hasSample = existsSync(path.join(SAMPLE, 'olist_orders_dataset.csv'));
if (!hasSample) console.warn(`SKIPPED: the Olist sample is not at ${SAMPLE}; the fulfillment end-to-end tests do not run`);
const describeWithSample = hasSample ? describe : describe.skip;
jest.setTimeout(240_000);

// Quality quarantines geolocation points outside Brazil: that file's accepted rows are fewer than its records.
const FILES = ['olist_orders_dataset.csv', 'olist_customers_dataset.csv', 'olist_sellers_dataset.csv', 'olist_order_items_dataset.csv'];

async function* records(file: string): AsyncGenerator<Record<string, string>> {
  yield* createReadStream(path.join(SAMPLE, file)).pipe(parse({ bom: true, columns: true })) as AsyncIterable<Record<string, string>>;
}

/**
 * The SLA per customer state and the centroid count, computed from the CSV files independently of
 * the platform: delivered orders with a delivery and an estimated date, late when the delivered
 * calendar day is after the estimated one; a centroid per zip prefix with a point inside Brazil.
 */
async function fileFigures() {
  const stateOf = new Map<string, string>();
  for await (const r of records('olist_customers_dataset.csv')) stateOf.set(r['customer_id'] as string, r['customer_state'] as string);
  const sla: Record<string, { delivered: number; late: number }> = {};
  for await (const r of records('olist_orders_dataset.csv')) {
    const delivered = r['order_delivered_customer_date'] ?? '';
    const estimated = r['order_estimated_delivery_date'] ?? '';
    if (r['order_status'] !== 'delivered' || delivered === '' || estimated === '') continue;
    const state = stateOf.get(r['customer_id'] as string) as string;
    const figures = (sla[state] ??= { delivered: 0, late: 0 });
    figures.delivered++;
    if (delivered.slice(0, 10) > estimated.slice(0, 10)) figures.late++;
  }
  const prefixes = new Set<string>();
  for await (const r of records('olist_geolocation_dataset.csv')) {
    const point = GeoPoint.create(Number(r['geolocation_lat']), Number(r['geolocation_lng']));
    const zip = ZipPrefix.parse(r['geolocation_zip_code_prefix'] as string);
    if (point.ok && zip.ok && isInsideBrazil(point.value)) prefixes.add(zip.value.value);
  }
  return { sla, centroids: prefixes.size };
}

interface LoadJson {
  loadId: string;
  status: string;
  caughtUp?: boolean;
  files: Record<string, { records: number; accepted: number }>;
}

describeWithSample('fulfillment on the real Olist sample', () => {
  let db: TestDatabase;
  let nats: OwnNatsServer;
  let quality: Spawned;
  let fulfillment: Spawned;
  let env: NodeJS.ProcessEnv;
  let admin: Client;
  let url: string;

  const olist = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, ['bin/olist.js', ...args], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
    return JSON.parse(stdout) as LoadJson;
  };
  const one = async (sql: string) => (await admin.query(sql)).rows[0];

  /** Delivered and late shipments per customer state, as the fulfillment schema holds them. */
  const slaInSchema = async () => {
    const { rows } = await admin.query(
      `SELECT customer_state AS state, count(*)::int AS delivered, count(*) FILTER (WHERE late)::int AS late
         FROM fulfillment.shipments WHERE status = 'delivered' AND late IS NOT NULL GROUP BY customer_state`,
    );
    return Object.fromEntries(rows.map((r) => [r.state, { delivered: r.delivered, late: r.late }]));
  };
  const snapshot = async () =>
    one(`SELECT (SELECT count(*)::int FROM fulfillment.shipments) AS shipments,
                (SELECT md5(string_agg(concat_ws('|', order_id, status, delay_days, late, customer_state, distance_km, anomalies::text,
                                                  dispatched_event_id, completed_event_id, delayed_event_id), ',' ORDER BY order_id)) FROM fulfillment.shipments) AS digest,
                (SELECT count(*)::int FROM fulfillment.zip_centroids) AS centroids,
                (SELECT md5(string_agg(concat_ws('|', zip_prefix, lat_sum, lng_sum, points), ',' ORDER BY zip_prefix)) FROM fulfillment.zip_centroids) AS "centroidDigest",
                (SELECT count(*)::int FROM fulfillment.shipments WHERE distance_km IS NOT NULL) AS "withDistance",
                (SELECT count(*)::int FROM fulfillment.outbox_events) AS outbox,
                (SELECT count(*)::int FROM fulfillment.dead_letter) AS "deadLetters"`);

  beforeAll(async () => {
    [db, nats] = await Promise.all([createTestDatabase('fulfillment_e2e'), OwnNatsServer.start()]);
    const port = await freePort();
    env = cleanEnv({ DATABASE_URL: db.url, NATS_URL: nats.url, QUALITY_PORT: String(await freePort()), FULFILLMENT_PORT: String(port) });
    url = `http://127.0.0.1:${port}`;
    quality = Spawned.node(['dist/apps/quality/src/main.js'], env);
    fulfillment = Spawned.node(['dist/apps/fulfillment/src/main.js'], env);
    await Promise.all([quality.waitFor('quality listening', 60_000), fulfillment.waitFor('fulfillment listening', 60_000)]);
    admin = new Client({ connectionString: db.url });
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.end();
    for (const service of [fulfillment, quality]) service?.child.kill('SIGTERM');
    await Promise.all([fulfillment?.exited, quality?.exited]);
    await nats?.dispose();
    await db?.drop();
  });

  let expected: Awaited<ReturnType<typeof fileFigures>>;

  it('holds delivered and late shipments per customer state and the centroids the files give', async () => {
    expected = await fileFigures();
    const started = Date.now();
    const load = await olist('load', SAMPLE, '--json', '--wait', '--wait-timeout', '180');
    console.log(`fulfillment: sample loaded and applied in ${Date.now() - started} ms`);
    expect(load).toMatchObject({ status: 'published', caughtUp: true });
    for (const file of FILES) expect({ file, accepted: load.files[file]?.accepted }).toEqual({ file, accepted: load.files[file]?.records });
    expect(await slaInSchema()).toEqual(expected.sla);
    const figures = await snapshot();
    expect(figures).toMatchObject({ centroids: expected.centroids, deadLetters: 0 });
    console.log(`fulfillment: ${figures.shipments} shipments, ${figures.withDistance} with a distance, ${figures.outbox} events`);
    expect(figures.withDistance).toBeGreaterThan(0);
    expect(figures.outbox).toBeGreaterThan(0);
  });

  it('serves a shipment and the SLA per state over HTTP and request-reply', async () => {
    const { order_id: id } = await one(`SELECT order_id FROM fulfillment.shipments WHERE late AND distance_km IS NOT NULL ORDER BY order_id LIMIT 1`);
    const shipment = (await (await fetch(`${url}/shipments/${id}`)).json()) as { orderId: string; late: boolean; sellerIds: string[] };
    expect(shipment).toMatchObject({ orderId: id, late: true });
    expect(shipment.sellerIds.length).toBeGreaterThan(0);
    expect((await fetch(`${url}/shipments/does-not-exist`)).status).toBe(404);
    const sla = (await (await fetch(`${url}/sla/states`)).json()) as { states: { state: string; delivered: number; late: number; lateRate: number }[] };
    expect(Object.fromEntries(sla.states.map((s) => [s.state, { delivered: s.delivered, late: s.late }]))).toEqual(expected.sla);

    const nc = await connect({ servers: nats.url });
    try {
      const ask = async <T>(subject: string, data: unknown) =>
        (await nc.request(subject, JSON.stringify({ pattern: subject, data, id: '1' }), { timeout: 5_000 })).json<{ response: T }>().response;
      expect(await ask('olist.rpc.fulfillment.shipment', { orderId: id })).toMatchObject({ orderId: id, late: true });
      expect(await ask('olist.rpc.fulfillment.shipment', { orderId: 'does-not-exist' })).toMatchObject({ error: 'NOT_FOUND' });
      expect(await ask<{ states: unknown[] }>('olist.rpc.fulfillment.sla', {})).toEqual(sla);
    } finally {
      await nc.close();
    }
  });

  it('changes nothing when the same files are loaded again, even when every row is published again', async () => {
    const before = await snapshot();
    const unchanged = await olist('load', SAMPLE, '--json', '--wait', '--wait-timeout', '120');
    expect(unchanged).toMatchObject({ status: 'unchanged' });
    expect(await snapshot()).toEqual(before);

    // Without the staging data of the last published load, quality publishes every accepted row again.
    await admin.query(`DROP TABLE staging."orders_${unchanged.loadId.replace(/-/g, '')}"`);
    await olist('load', SAMPLE, '--json', '--wait', '--wait-timeout', '180');
    expect(await snapshot()).toEqual(before);
    expect(await slaInSchema()).toEqual(expected.sla);
  });
});
