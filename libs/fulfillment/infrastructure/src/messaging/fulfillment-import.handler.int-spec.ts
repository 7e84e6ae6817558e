import { Pool } from 'pg';
import type { QueryRunner } from 'typeorm';
import { FULFILLMENT_CONTRACTS } from '@olist/fulfillment-contracts';
import { ContractRegistry, type InboundMessage, messagingEventBatchesMigration, messagingTablesMigration, Outbox, PgTransactor } from '@olist/messaging';
import { randomBytes } from 'node:crypto';
import { FEED_KEY_RING, PiiCipher, parsePiiKeys } from '@olist/pii';
import { IMPORT_CONTRACTS, IMPORT_FILE_NAMES, IMPORT_PERSONAL_COLUMNS, IMPORT_SUBJECTS, type ImportFile } from '@olist/quality-contracts';
import { GeoPoint, haversineKm, unwrap } from '@olist/shared-kernel';
import { createTestDatabase, type TestDatabase, rawFeedMessage } from '@olist/testing';
import { FulfillmentSchema1764500000000 } from '../persistence/migrations/1764500000000-fulfillment-schema';
import { FulfillmentSealedCustomerZips1764700000000 } from '../persistence/migrations/1764700000000-fulfillment-sealed-customer-zips';
import { FulfillmentStalePrefixes1764800000000 } from '../persistence/migrations/1764800000000-fulfillment-stale-prefixes';
import { FulfillmentUnsettledOrders1764810000000 } from '../persistence/migrations/1764810000000-fulfillment-unsettled-orders';
import { FulfillmentGeolocationLog1764850000000 } from '../persistence/migrations/1764850000000-fulfillment-geolocation-log';
import { FulfillmentGeolocationByteOrder1764870000000 } from '../persistence/migrations/1764870000000-fulfillment-geolocation-byte-order';
import { FulfillmentAnnouncedDistance1764880000000 } from '../persistence/migrations/1764880000000-fulfillment-announced-distance';
import { ShipmentQueries } from '../read-model/shipment-queries';
import { ShipmentStore } from '../persistence/shipment.store';
import { FulfillmentImportHandler } from './fulfillment-import.handler';
import { translateImportBatch } from './olist-import.acl';

type Row = Record<string, string | null>;
const LOAD = '5d1c7a2e-3b4f-4e6a-8c9d-0f1e2d3c4b5a';

const order = (id: string, customer: string, status: string, carrier: string | null, delivered: string | null, estimated = '2017-10-18 00:00:00'): Row => ({
  order_id: id,
  customer_id: customer,
  order_status: status,
  order_purchase_timestamp: '2017-10-02 10:56:33',
  order_approved_at: '2017-10-02 11:07:15',
  order_delivered_carrier_date: carrier,
  order_delivered_customer_date: delivered,
  order_estimated_delivery_date: estimated,
});
const customer = (id: string, zip: string, state: string): Row => ({ customer_id: id, customer_unique_id: `u-${id}`, customer_zip_code_prefix: zip, customer_city: 'sao paulo', customer_state: state });
const seller = (id: string, zip: string): Row => ({ seller_id: id, seller_zip_code_prefix: zip, seller_city: 'maua', seller_state: 'SP' });
const item = (orderId: string, seq: number, sellerId: string): Row => ({
  order_id: orderId,
  order_item_id: String(seq),
  product_id: 'p1',
  seller_id: sellerId,
  shipping_limit_date: '2017-10-06 11:07:15',
  price: '29.99',
  freight_value: '8.72',
});
const geo = (zip: string, lat: string, lng: string): Row => ({ geolocation_zip_code_prefix: zip, geolocation_lat: lat, geolocation_lng: lng, geolocation_city: 'x', geolocation_state: 'SP' });

const feedKey = FEED_KEY_RING.localOnlyKey();
const feedCipher = new PiiCipher([feedKey]);

let sequence = 0;
/** A raw-feed message as the quality relay publishes it (customers' zip prefix and city sealed), or in clear with `clear`. */
function message(file: ImportFile, batch: number, rows: readonly Row[], clear = false): InboundMessage {
  const sealed = file === 'customers' && !clear ? { cipher: feedCipher, columns: IMPORT_PERSONAL_COLUMNS.customers } : undefined;
  return rawFeedMessage({ loadId: LOAD, file, fileName: IMPORT_FILE_NAMES[file], subject: IMPORT_SUBJECTS[file], batch, rows, streamSequence: ++sequence, sealed });
}

const feed = {
  orders: message('orders', 1, [
    order('o1', 'c1', 'delivered', '2017-10-04 19:55:00', '2017-10-10 21:25:13'),
    order('o2', 'c2', 'delivered', '2017-10-04 19:55:00', '2017-10-19 08:00:00'),
    order('o3', 'c1', 'shipped', '2017-10-01 09:00:00', null),
    order('o4', 'c2', 'delivered', '2017-10-04 19:55:00', null),
    order('o5', 'c1', 'processing', null, null),
  ]),
  customers: message('customers', 1, [customer('c1', '1037', 'SP'), customer('c2', '20040', 'RJ')]),
  sellers: message('sellers', 1, [seller('s1', '09350'), seller('s2', '20040')]),
  items: message('order_items', 1, [item('o1', 1, 's1'), item('o2', 1, 's1'), item('o2', 2, 's2'), item('o3', 1, 's2')]),
  geolocation: message('geolocation', 1, [
    geo('01037', '-23.54', '-46.63'),
    geo('01037', '-23.56', '-46.65'),
    geo('01037', '-23.56', '-46.65'),
    geo('01037', '38.7', '-9.1'),
    geo('09350', '-23.67', '-46.46'),
    geo('20040', '-22.90', '-43.17'),
    geo('20040', '-22.9', '-43.17'),
  ]),
};
const ALL = [feed.orders, feed.customers, feed.sellers, feed.items, feed.geolocation];

describe('FulfillmentImportHandler against Postgres', () => {
  let db: TestDatabase;
  let pool: Pool;
  let transactor: PgTransactor;
  const outboxWriter = new Outbox('fulfillment', new ContractRegistry([...FULFILLMENT_CONTRACTS, ...IMPORT_CONTRACTS]));
  const handler = new FulfillmentImportHandler(outboxWriter, feedCipher);

  beforeAll(async () => {
    db = await createTestDatabase('fulfillment_import');
    pool = new Pool({ connectionString: db.url, max: 2 });
    transactor = new PgTransactor(pool);
    await pool.query('CREATE SCHEMA fulfillment');
    const runner = { query: (sql: string) => pool.query(sql) } as unknown as QueryRunner;
    await new (messagingTablesMigration('fulfillment'))().up(runner);
    await new (messagingEventBatchesMigration('fulfillment'))().up(runner);
    await new FulfillmentSchema1764500000000().up(runner);
    await new FulfillmentSealedCustomerZips1764700000000().up(runner);
    await new FulfillmentStalePrefixes1764800000000().up(runner);
    await new FulfillmentUnsettledOrders1764810000000().up(runner);
    await new FulfillmentGeolocationLog1764850000000().up(runner);
    await new FulfillmentGeolocationByteOrder1764870000000().up(runner);
    await new FulfillmentAnnouncedDistance1764880000000().up(runner);
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  const reset = () =>
    pool.query(
      'TRUNCATE fulfillment.shipments, fulfillment.customer_zips, fulfillment.seller_zips, fulfillment.order_sellers, fulfillment.geo_log, fulfillment.centroid_due, fulfillment.zip_centroids, fulfillment.geolocation_batches, fulfillment.import_exceptions, fulfillment.stale_prefixes, fulfillment.unsettled_orders, fulfillment.outbox',
    );
  beforeEach(reset);

  const apply = (...messages: InboundMessage[]) => transactor.transaction((tx) => handler.handle(messages, tx));
  const customerZips = async () => (await pool.query(`SELECT customer_id, zip_prefix, zip_sealed, zip_ref, state FROM fulfillment.customer_zips ORDER BY customer_id`)).rows;

  async function state() {
    const q = async (sql: string) => (await pool.query(sql)).rows.map(({ updated_at: _, ...r }) => r);
    return {
      shipments: await q(`SELECT * FROM fulfillment.shipments ORDER BY order_id`),
      centroids: await q(`SELECT * FROM fulfillment.zip_centroids ORDER BY zip_prefix`),
      points: await q(`SELECT DISTINCT zip_prefix, lat, lng FROM fulfillment.geo_log ORDER BY zip_prefix, lat, lng`),
      links: await q(`SELECT * FROM fulfillment.order_sellers ORDER BY order_id, seller_id`),
    };
  }
  const outbox = async () => (await pool.query(`SELECT type, aggregate_id, envelope FROM fulfillment.outbox_events ORDER BY position, seq`)).rows;
  const DISTANCE_CHANGED = 'fulfillment.shipment-distance-changed';
  /** The events written but shipment-distance-changed ones, without the distance they carry. */
  const eventFacts = async () =>
    (await outbox())
      .filter((e) => e.type !== DISTANCE_CHANGED)
      .map((e) => {
        const { distanceKm: _, ...facts } = e.envelope.payload;
        return JSON.stringify([e.envelope.id, e.type, e.envelope.occurredAt, facts]);
      })
      .sort();
  /**
   * Per shipment, the distance its events conveyed last, in stream order, as the contracts define
   * it: a shipment-distance-changed replaces it, null included; a shipment-dispatched or
   * delivery-completed sets it, but its null only means "not known when written" (the first
   * event's null still counts as the shipment's distance).
   */
  const conveyedDistances = async () => {
    const last: Record<string, number | null> = {};
    for (const e of await outbox()) {
      if (!('distanceKm' in e.envelope.payload)) continue;
      const distance = e.envelope.payload.distanceKm;
      if (e.type === DISTANCE_CHANGED || distance !== null || !(e.aggregate_id in last)) last[e.aggregate_id] = distance;
    }
    return last;
  };
  /** The distance of every shipment with a distance-carrying event published. */
  const publishedDistances = async () =>
    Object.fromEntries(
      (await pool.query(`SELECT order_id, distance_km FROM fulfillment.shipments WHERE dispatched_event_id IS NOT NULL OR completed_event_id IS NOT NULL`)).rows.map((r) => [
        r.order_id,
        r.distance_km,
      ]),
    );
  /** state() less what tells how many distance announcements it took to get there. */
  const settledState = async () => {
    const s = await state();
    return { ...s, shipments: s.shipments.map(({ distance_revision: _, ...rest }) => rest) };
  };

  it('takes listed shipments chunk by chunk after the last one taken, each once, until none is left', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `order-${String(i).padStart(2, '0')}`);
    await pool.query(`INSERT INTO fulfillment.unsettled_orders (order_id) SELECT unnest($1::text[])`, [[...ids].reverse()]);
    const store = new ShipmentStore(feedCipher);
    const chunks = await transactor.transaction(async (tx) => {
      const taken: string[][] = [];
      for (let chunk = await store.takeUnsettled(tx, 5); chunk.length > 0; chunk = await store.takeUnsettled(tx, 5, chunk.at(-1))) taken.push(chunk);
      return taken;
    });
    expect(chunks).toEqual([ids.slice(0, 5), ids.slice(5, 10), ids.slice(10)]);
    expect((await pool.query(`SELECT count(*)::int AS n FROM fulfillment.unsettled_orders`)).rows[0].n).toBe(0);
  });

  it('stores shipments with SLA, flags, distance and centroids, and emits the events', async () => {
    const outcome = await apply(...ALL);
    expect(outcome).toMatchObject({ shipmentsWritten: 5, points: 4, duplicatePoints: 2, outsidePoints: 1, centroidsChanged: 3, refused: 0 });
    const { shipments, centroids } = await state();
    expect(shipments.map((s) => [s.order_id, s.status, s.delay_days, s.late, s.customer_state, s.anomalies])).toEqual([
      ['o1', 'delivered', -8, false, 'SP', []],
      ['o2', 'delivered', 1, true, 'RJ', []],
      ['o3', 'shipped', null, null, 'SP', ['CARRIER_PICKUP_BEFORE_PURCHASE']],
      ['o4', 'delivered', null, null, 'RJ', ['DELIVERED_WITHOUT_DATE']],
      ['o5', 'pending', null, null, 'SP', []],
    ]);
    expect(centroids.map((c) => [c.zip_prefix, c.points, c.lat, c.lng])).toEqual([
      ['01037', 2, -23.55, -46.64],
      ['09350', 1, -23.67, -46.46],
      ['20040', 1, -22.9, -43.17],
    ]);
    const expected = (a: [number, number], b: [number, number]) =>
      Math.round(haversineKm(unwrap(GeoPoint.create(...a)), unwrap(GeoPoint.create(...b))) * 100) / 100;
    expect(shipments.find((s) => s.order_id === 'o1')?.distance_km).toBe(expected([-23.67, -46.46], [-23.55, -46.64]));
    expect(shipments.find((s) => s.order_id === 'o2')?.distance_km).toBe(expected([-23.67, -46.46], [-22.9, -43.17]));
    expect((await outbox()).map((e) => `${e.aggregate_id}:${e.type}`).sort()).toEqual([
      'o1:fulfillment.delivery-completed',
      'o1:fulfillment.shipment-dispatched',
      'o2:fulfillment.delivery-completed',
      'o2:fulfillment.delivery-delayed',
      'o2:fulfillment.shipment-dispatched',
      'o3:fulfillment.shipment-dispatched',
    ]);
    const o2 = (await outbox()).filter((e) => e.aggregate_id === 'o2');
    expect(o2.find((e) => e.type === 'fulfillment.shipment-dispatched').envelope.payload).toMatchObject({ sellerIds: ['s1', 's2'], carrierPickupAt: '2017-10-04T19:55:00Z' });
    expect(o2.find((e) => e.type === 'fulfillment.delivery-delayed').envelope).toMatchObject({
      occurredAt: '2017-10-19T08:00:00Z',
      payload: { orderId: 'o2', customerState: 'RJ', delayDays: 1, deliveredAt: '2017-10-19T08:00:00Z' },
    });
    const queries = new ShipmentQueries({ query: async (sql, params) => (await pool.query(sql, params)).rows });
    expect(await queries.slaByState()).toEqual([
      { state: 'RJ', delivered: 1, late: 1, lateRate: 1, avgDeliveryDays: 16.88 },
      { state: 'SP', delivered: 1, late: 0, lateRate: 0, avgDeliveryDays: 8.44 },
    ]);
    expect(await queries.shipment('o3')).toMatchObject({ status: 'shipped', sellerIds: ['s2'], customerState: 'SP', anomalies: ['CARRIER_PICKUP_BEFORE_PURCHASE'] });
    expect(await queries.shipment('nope')).toBeNull();
  });

  it('changes and emits nothing when the same rows are applied again', async () => {
    await apply(...ALL);
    const before = { state: await state(), outbox: await outbox() };
    const again = await apply(...[...ALL].reverse());
    expect(again).toMatchObject({ shipmentsWritten: 0, contextsRefreshed: 0, centroidsChanged: 0, events: 0 });
    expect({ state: await state(), outbox: await outbox() }).toEqual(before);
  });

  it('counts a point logged by several batches once in its centroid, however its coordinates are written', async () => {
    await apply(message('geolocation', 30, [geo('01037', '-23.54', '-46.63')]));
    const second = await apply(message('geolocation', 31, [geo('01037', '-23.540', '-46.63'), geo('01037', '-23.56', '-46.65')]));
    expect(second).toMatchObject({ points: 2, centroidsChanged: 1 });
    expect((await pool.query(`SELECT count(*)::int AS n FROM fulfillment.geo_log`)).rows).toEqual([{ n: 3 }]);
    expect((await pool.query(`SELECT points, lat, lng, lat_sum::text, lng_sum::text FROM fulfillment.zip_centroids`)).rows).toEqual([
      { points: 2, lat: -23.55, lng: -46.64, lat_sum: '-47.10', lng_sum: '-93.28' },
    ]);
  });

  it('logs the distinct inside-Brazil points of each batch of one statement, with each batch counted on its own', async () => {
    const row = (zipPrefix: string, lat: string, lng: string) => ({ zipPrefix, lat, lng });
    const batch = (n: number, rows: ReturnType<typeof row>[]) => ({ loadId: LOAD, batch: n, rows, received: rows.length + 1, unreadable: 1 });
    const outcomes = await transactor.transaction((tx) =>
      new ShipmentStore(feedCipher).addGeolocation(tx, [
        batch(40, [
          row('01037', '-23.5', '-46.6'),
          row('01037', '-23.50', '-46.600'), // the same point written otherwise
          row('01037', '-2.35e1', '-46.6'), // and once more
          row('01038', '-23.5', '-46.6'), // the same coordinates in another prefix
          row('01037', '38.7', '-9.1'), // outside Brazil …
          row('01037', '38.70', '-9.1'), // … repeated
          row('99999', '-33.75', '-73.99'), // on the edges of the box: inside
          row('99998', '5.27', '-34.79'),
          row('99997', '-33.7500001', '-50'), // just outside
        ]),
        batch(41, [row('01037', '-23.500', '-46.6'), row('02000', '-10', '-50.0')]), // a point of batch 40 again
        batch(42, [row('03000', '40', '10'), row('03000', '40.0', '10')]), // outside only: its prefix is not due
        batch(43, []),
      ]),
    );
    expect(outcomes).toEqual([
      { points: 4, duplicates: 3, outside: 2 },
      { points: 2, duplicates: 0, outside: 0 },
      { points: 0, duplicates: 1, outside: 1 },
      { points: 0, duplicates: 0, outside: 0 },
    ]);
    expect((await pool.query(`SELECT zip_prefix, lat::text, lng::text FROM fulfillment.geo_log ORDER BY zip_prefix, lat, lng`)).rows).toEqual([
      { zip_prefix: '01037', lat: '-23.5', lng: '-46.6' },
      { zip_prefix: '01037', lat: '-23.5', lng: '-46.6' },
      { zip_prefix: '01038', lat: '-23.5', lng: '-46.6' },
      { zip_prefix: '02000', lat: '-10', lng: '-50' },
      { zip_prefix: '99998', lat: '5.27', lng: '-34.79' },
      { zip_prefix: '99999', lat: '-33.75', lng: '-73.99' },
    ]);
    // Each prefix of the statement's logged points is listed once.
    expect((await pool.query(`SELECT zip_prefix FROM fulfillment.centroid_due ORDER BY zip_prefix`)).rows.map((r) => r.zip_prefix)).toEqual(['01037', '01038', '02000', '99998', '99999']);
    expect((await pool.query(`SELECT batch, rows, duplicates, outside, unreadable FROM fulfillment.geolocation_batches ORDER BY batch`)).rows).toEqual([
      { batch: 40, rows: 10, duplicates: 3, outside: 2, unreadable: 1 },
      { batch: 41, rows: 3, duplicates: 0, outside: 0, unreadable: 1 },
      { batch: 42, rows: 3, duplicates: 1, outside: 1, unreadable: 1 },
      { batch: 43, rows: 1, duplicates: 0, outside: 0, unreadable: 1 },
    ]);
    const settled = await transactor.transaction((tx) => new ShipmentStore(feedCipher).refreshCentroids(tx));
    expect(settled).toBe(5);
    expect((await pool.query(`SELECT zip_prefix, points, lat_sum::text FROM fulfillment.zip_centroids WHERE zip_prefix IN ('01037', '02000') ORDER BY zip_prefix`)).rows).toEqual([
      { zip_prefix: '01037', points: 1, lat_sum: '-23.5' },
      { zip_prefix: '02000', points: 1, lat_sum: '-10' },
    ]);
    expect((await pool.query(`SELECT count(*)::int AS n FROM fulfillment.centroid_due`)).rows).toEqual([{ n: 0 }]);
  });

  it('compares the prefixes of the log byte by byte, and keeps its rows when that is undone and redone', async () => {
    await apply(feed.geolocation);
    const runner = { query: (sql: string) => pool.query(sql) } as unknown as QueryRunner;
    const collations = async () =>
      (await pool.query(`SELECT table_name, collation_name FROM information_schema.columns WHERE table_schema = 'fulfillment' AND table_name IN ('geo_log', 'centroid_due') AND column_name = 'zip_prefix' ORDER BY table_name`)).rows;
    const before = await state();
    expect(await collations()).toEqual([{ table_name: 'centroid_due', collation_name: 'C' }, { table_name: 'geo_log', collation_name: 'C' }]);
    await new FulfillmentGeolocationByteOrder1764870000000().down(runner);
    expect(await collations()).toEqual([{ table_name: 'centroid_due', collation_name: null }, { table_name: 'geo_log', collation_name: null }]);
    await new FulfillmentGeolocationByteOrder1764870000000().up(runner);
    expect(await collations()).toEqual([{ table_name: 'centroid_due', collation_name: 'C' }, { table_name: 'geo_log', collation_name: 'C' }]);
    expect(await state()).toEqual(before);
  });

  // The events carry the distance known when they were written; their ids and other facts do not
  // depend on the order the files arrive in.
  it('ends in the same state and events, and conveys the same distances, whatever order the files arrive in', async () => {
    await apply(...ALL);
    const first = { state: await settledState(), events: await eventFacts(), conveyed: await conveyedDistances() };
    expect(first.conveyed).toEqual(await publishedDistances());
    expect(Object.values(first.conveyed).filter((d) => d !== null)).toHaveLength(3);
    for (const order of [[4, 3, 2, 1, 0], [1, 3, 0, 4, 2], [2, 4, 1, 0, 3]]) {
      await reset();
      for (const i of order) await apply(ALL[i] as InboundMessage);
      expect({ state: await settledState(), events: await eventFacts(), conveyed: await conveyedDistances() }).toEqual(first);
    }
  });

  it('waits for the customer before emitting delivery events, and announces the distance of a published shipment when a centroid arrives', async () => {
    await apply(feed.orders, feed.items, feed.sellers);
    expect((await outbox()).map((e) => e.type).filter((t) => t !== 'fulfillment.shipment-dispatched')).toEqual([]);
    await apply(feed.customers);
    expect((await outbox()).filter((e) => e.aggregate_id === 'o2').map((e) => e.type).sort()).toEqual([
      'fulfillment.delivery-completed',
      'fulfillment.delivery-delayed',
      'fulfillment.shipment-dispatched',
    ]);
    expect((await state()).shipments.map((s) => s.distance_km)).toEqual([null, null, null, null, null]);
    const written = (await outbox()).length;
    const outcome = await apply(feed.geolocation);
    const distances = await publishedDistances();
    expect(distances['o1']).toBeGreaterThan(0);
    // o1, o2 and o3 were published without a distance: each gets one shipment-distance-changed, with
    // the purchase as its business time; the other events are not written again.
    const announced = (await outbox()).slice(written).sort((a, b) => a.aggregate_id.localeCompare(b.aggregate_id));
    expect(outcome.events).toBe(3);
    expect(announced.map((e) => [e.type, e.aggregate_id, e.envelope.occurredAt, e.envelope.payload])).toEqual(
      ['o1', 'o2', 'o3'].map((o) => [DISTANCE_CHANGED, o, '2017-10-02T10:56:33Z', { orderId: o, distanceKm: distances[o] }]),
    );
    expect(await conveyedDistances()).toEqual(distances);
    // Nothing new when the same rows come again.
    expect((await apply(feed.geolocation, feed.customers)).events).toBe(0);
  });

  it('announces a distance that changes back as a new event, not as a copy of the first', async () => {
    await apply(feed.orders, feed.items, feed.sellers, feed.customers);
    await apply(feed.geolocation);
    const ids = async () => (await outbox()).filter((e) => e.type === DISTANCE_CHANGED && e.aggregate_id === 'o3').map((e) => e.envelope.id);
    expect(await ids()).toHaveLength(1);
    const original = (await publishedDistances())['o3'];
    // o3's seller s2 moves to 09350, then back to 20040.
    await apply(message('sellers', 2, [seller('s2', '09350')]));
    expect((await publishedDistances())['o3']).not.toBe(original);
    await apply(message('sellers', 3, [seller('s2', '20040')]));
    expect((await publishedDistances())['o3']).toBe(original);
    const all = await ids();
    expect(all).toHaveLength(3);
    expect(new Set(all).size).toBe(3);
    expect((await conveyedDistances())['o3']).toBe(original);
  });

  it('announces a known distance that went away, even when an event written with it carries a null one', async () => {
    await apply(...ALL);
    const before = (await publishedDistances())['o1'];
    expect(before).toBeGreaterThan(0);
    const written = (await outbox()).length;
    // o1's customer moves to a zip prefix without a centroid while o1's carrier pickup is revised:
    // shipment-dispatched is written again, with no distance known.
    await apply(
      message('customers', 2, [customer('c1', '69900', 'AC')]),
      message('orders', 2, [order('o1', 'c1', 'delivered', '2017-10-05 08:00:00', '2017-10-10 21:25:13')]),
    );
    const o1 = (await outbox()).slice(written).filter((e) => e.aggregate_id === 'o1');
    expect(o1.map((e) => [e.type, e.envelope.payload.distanceKm])).toEqual([
      ['fulfillment.shipment-dispatched', null],
      ['fulfillment.delivery-completed', null],
      [DISTANCE_CHANGED, null],
    ]);
    expect((await publishedDistances())['o1']).toBeNull();
    expect(await conveyedDistances()).toEqual(await publishedDistances());
  });

  it('announces, chunk by chunk, the distances of shipments published before announcements were recorded, once', async () => {
    await apply(...ALL);
    const distances = await publishedDistances();
    const known = Object.keys(distances).filter((o) => distances[o] !== null).sort();
    expect(known).toEqual(['o1', 'o2', 'o3']);
    const announce = (after = '') => transactor.transaction((tx) => handler.announceUnannounced(tx, 2, after));
    // Nothing to announce where every distance was recorded as conveyed.
    expect(await announce()).toEqual({ announced: 0, last: null });
    // As the migration that added the columns leaves the shipments published before it.
    await pool.query(`UPDATE fulfillment.shipments SET announced_distance_km = NULL, distance_revision = 0`);
    const written = (await outbox()).length;
    const first = await announce();
    expect(first).toEqual({ announced: 2, last: 'o2' });
    expect(await announce(first.last as string)).toEqual({ announced: 1, last: 'o3' });
    expect(await announce('o3')).toEqual({ announced: 0, last: null });
    const announced = (await outbox()).slice(written);
    expect(announced.map((e) => [e.type, e.aggregate_id, e.envelope.occurredAt, e.envelope.payload])).toEqual(
      known.map((o) => [DISTANCE_CHANGED, o, '2017-10-02T10:56:33Z', { orderId: o, distanceKm: distances[o] }]),
    );
    expect(await conveyedDistances()).toEqual(distances);
    // Announced once: a second pass finds nothing, and the state is what the load left.
    expect(await announce()).toEqual({ announced: 0, last: null });
    expect((await pool.query(`SELECT count(*)::int AS n FROM fulfillment.shipments WHERE announced_distance_km IS DISTINCT FROM distance_km`)).rows[0].n).toBe(0);
  });

  it('refuses unreadable rows without failing the batch', async () => {
    const outcome = await apply(
      message('orders', 9, [order('o9', 'c1', 'delivered', 'yesterday', null), order('', 'c1', 'delivered', null, null)]),
      message('geolocation', 9, [geo('01037', 'north', '-46.6'), geo('7', '-23.5', '-46.6')]),
    );
    expect(outcome).toMatchObject({ shipmentsWritten: 0, refused: 4, points: 0 });
    expect((await pool.query(`SELECT rows, unreadable FROM fulfillment.geolocation_batches`)).rows).toEqual([{ rows: 2, unreadable: 2 }]);
  });

  it('records refused rows with their reason, and never quotes a customer zip prefix', async () => {
    await apply(
      message('orders', 9, [order('o9', 'c1', 'delivered', 'yesterday', null)]),
      message('customers', 9, [customer('c8', '98765', 'SP')], true),
      message('customers', 10, [customer('c9', '9x765', 'SP')]),
    );
    const recorded = (await pool.query(`SELECT file, line, code, message FROM fulfillment.import_exceptions ORDER BY file, code`)).rows;
    expect(recorded.map((r) => [r.file, r.line, r.code])).toEqual([
      ['olist_customers_dataset.csv', 2, 'ADDRESS.ZIP_NOT_NUMERIC'],
      ['olist_customers_dataset.csv', 2, 'FULFILLMENT_IMPORT.SEALED_VALUE_UNREADABLE'],
      ['olist_orders_dataset.csv', 2, 'FULFILLMENT_IMPORT.INVALID_TIME'],
    ]);
    expect(JSON.stringify(recorded)).not.toMatch(/98765|9x765/);
    expect(await customerZips()).toEqual([]);
  });

  it('stores a customer zip prefix only sealed, and still finds its orders by prefix after a key rotation', async () => {
    await apply(feed.orders, feed.items, feed.sellers, feed.customers);
    const zips = await customerZips();
    expect(zips.map((z) => [z.customer_id, z.zip_prefix, z.state])).toEqual([
      ['c1', null, 'SP'],
      ['c2', null, 'RJ'],
    ]);
    for (const z of zips) {
      expect(Buffer.isBuffer(z.zip_sealed) && Buffer.isBuffer(z.zip_ref)).toBe(true);
      expect(z.zip_sealed.includes(Buffer.from('01037')) || z.zip_sealed.includes(Buffer.from('20040'))).toBe(false);
    }
    const rotated = new PiiCipher([...parsePiiKeys(`feed-2:${randomBytes(32).toString('base64')}`, 'OLIST_FEED_KEYS'), feedKey]);
    await transactor.transaction((tx) => new FulfillmentImportHandler(outboxWriter, rotated).handle([feed.geolocation], tx));
    const { shipments } = await state();
    expect(shipments.find((s) => s.order_id === 'o1')?.distance_km).toBeGreaterThan(0);
    expect(shipments.find((s) => s.order_id === 'o2')?.distance_km).toBeGreaterThan(0);
  });

  it('seals zip prefixes stored in clear before they were sealed', async () => {
    await apply(feed.orders, feed.items, feed.sellers);
    await pool.query(`INSERT INTO fulfillment.customer_zips (customer_id, zip_prefix, state) VALUES ('c1', '01037', 'SP')`);
    await apply(feed.geolocation);
    const [c1] = await customerZips();
    expect(c1).toMatchObject({ customer_id: 'c1', zip_prefix: null, state: 'SP' });
    expect(feedCipher.decrypt(c1.zip_sealed, 'fulfillment.customer_zips.zip_sealed:c1')).toBe('01037');
    expect((await state()).shipments.find((s) => s.order_id === 'o1')?.distance_km).toBeGreaterThan(0);
  });

  describe('deferred distances of changed centroids', () => {
    /** The message as delivered with `pending` messages still to come for its consumer. */
    const behind = (m: InboundMessage, pending: number): InboundMessage => ({
      eventId: m.eventId,
      messageId: m.messageId,
      subject: m.subject,
      stream: m.stream,
      streamSequence: m.streamSequence,
      deliveryCount: m.deliveryCount,
      pending,
      headers: m.headers,
      data: m.data,
      json: <T>() => m.json<T>(),
      envelope: <T>() => m.envelope<T>(),
    });
    const translated = (...messages: InboundMessage[]) =>
      messages.map((m) => translateImportBatch(m.subject, m.envelope<Parameters<typeof translateImportBatch>[1]>().payload, feedCipher));
    const km = (a: [number, number], b: [number, number]) => Math.round(haversineKm(unwrap(GeoPoint.create(...a)), unwrap(GeoPoint.create(...b))) * 100) / 100;
    const stale = async () => (await pool.query(`SELECT zip_prefix FROM fulfillment.stale_prefixes ORDER BY zip_prefix`)).rows.map((r) => r.zip_prefix);
    const due = async () => (await pool.query(`SELECT DISTINCT zip_prefix FROM fulfillment.centroid_due ORDER BY zip_prefix`)).rows.map((r) => r.zip_prefix);
    const distances = async () => Object.fromEntries((await state()).shipments.map((s) => [s.order_id, s.distance_km]));
    /** The events written, with their payloads (distance included), without when or in which flow they were recorded. */
    const written = async () => (await outbox()).map((e) => [e.envelope.id, e.type, e.envelope.occurredAt, e.envelope.payload]);

    const geoA = message('geolocation', 11, [geo('01037', '-23.54', '-46.63'), geo('01037', '-23.56', '-46.65'), geo('09350', '-23.67', '-46.46')]);
    const geoB = message('geolocation', 12, [geo('20040', '-22.90', '-43.17'), geo('01037', '38.7', '-9.1')]);
    // Moves the centroid of 09350 (seller s1) to (-23.68, -46.47).
    const tail = message('geolocation', 13, [geo('09350', '-23.69', '-46.48')]);
    const context = [feed.orders, feed.items, feed.sellers, feed.customers];

    it('keeps the distances of a geolocation batch stale until the stream is drained, then ends as an immediate refresh would', async () => {
      // Reference: every batch refreshed at once.
      await apply(...context);
      for (const m of [geoA, geoB, tail]) await apply(m);
      const reference = { state: await state(), events: await written() };
      const expected = {
        o1: km([-23.68, -46.47], [-23.55, -46.64]),
        o2: km([-23.68, -46.47], [-22.9, -43.17]),
        o3: km([-22.9, -43.17], [-23.55, -46.64]),
        o4: null,
        o5: null,
      };
      expect(await distances()).toEqual(expected);
      expect(await stale()).toEqual([]);

      await reset();
      await apply(...context);
      const events = (await outbox()).length;
      expect(events).toBeGreaterThan(0);
      const deferred = await transactor.transaction((tx) => handler.apply(translated(geoA, geoB), tx, { settle: false }));
      expect(deferred).toMatchObject({ points: 4, outsidePoints: 1, centroidsChanged: 0, contextsRefreshed: 0, events: 0 });
      expect(await distances()).toEqual({ o1: null, o2: null, o3: null, o4: null, o5: null });
      // Logged and due, not worked out yet.
      expect(await due()).toEqual(['01037', '09350', '20040']);
      expect(await stale()).toEqual([]);
      expect((await pool.query(`SELECT count(*)::int AS n FROM fulfillment.zip_centroids`)).rows).toEqual([{ n: 0 }]);

      // The consumer's last message: the tail batch is applied, the due centroids worked out and every stale prefix refreshed.
      // o1, o2 and o3 were published without a distance: one announcement each, of the final distance.
      const drained = await apply(behind(tail, 0));
      expect(drained).toMatchObject({ points: 1, centroidsChanged: 3, contextsRefreshed: 3, events: 3 });
      expect((await pool.query(`SELECT lat, lng, points FROM fulfillment.zip_centroids WHERE zip_prefix = '09350'`)).rows).toEqual([{ lat: -23.68, lng: -46.47, points: 2 }]);
      expect(await due()).toEqual([]);
      expect(await distances()).toEqual(expected);
      expect(await stale()).toEqual([]);
      expect((await outbox()).length).toBe(events + 3);
      // The same state and facts as refreshing at once, which announced the distances of 09350's
      // shipments twice (before and after the tail moved its centroid).
      const notAnnounced = async () => (await written()).filter(([, type]) => type !== DISTANCE_CHANGED);
      expect({ state: await settledState(), events: await notAnnounced(), conveyed: await conveyedDistances() }).toEqual({
        state: { ...reference.state, shipments: reference.state.shipments.map(({ distance_revision: _, ...rest }) => rest) },
        events: reference.events.filter(([, type]) => type !== DISTANCE_CHANGED),
        conveyed: { o1: expected.o1, o2: expected.o2, o3: expected.o3 },
      });
      expect(reference.events.filter(([, type]) => type === DISTANCE_CHANGED)).toHaveLength(5);
    });

    it('applies geolocation batches while the import lock is held; the drained feed corrects a distance read from the centroid they replaced', async () => {
      await apply(...context, geoA, geoB);
      const before = await distances();
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      let entered: () => void = () => undefined;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      // The sellers again: o1 and o2 settle with 09350's centroid as it is now, in a transaction kept open.
      const open = transactor.transaction(async (tx) => {
        await handler.apply(translated(feed.sellers), tx);
        entered();
        await held;
      });
      try {
        await inside;
        // The tail batch moves 09350's centroid meanwhile, without waiting for that transaction.
        const geolocation = transactor.transaction((tx) => handler.apply(translated(tail), tx, { settle: false }));
        const waited = await Promise.race([geolocation.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 5_000))]);
        expect(waited).toBe(false);
      } finally {
        release();
        await open;
      }
      expect(await distances()).toEqual(before);
      expect(await due()).toEqual(['09350']);
      // The geolocation feed drained: 09350's centroid is worked out again and o1 and o2 get it.
      await apply(behind(message('geolocation', 15, []), 0));
      expect(await stale()).toEqual([]);
      expect(await distances()).toEqual({ ...before, o1: km([-23.68, -46.47], [-23.55, -46.64]), o2: km([-23.68, -46.47], [-22.9, -43.17]) });
    });

    it('settles orders, customers and sellers arriving before the end of the stream once, at the end, with the centroids known then', async () => {
      const unsettled = async () => (await pool.query(`SELECT order_id FROM fulfillment.unsettled_orders ORDER BY order_id`)).rows.map((r) => r.order_id);
      await apply(behind(geoA, 4), behind(geoB, 3));
      expect(await due()).toEqual(['01037', '09350', '20040']);
      const arrived = await apply(...context.map((m) => behind(m, 1)));
      expect(arrived).toMatchObject({ contextsRefreshed: 0, events: 0 });
      expect(await unsettled()).toEqual(['o1', 'o2', 'o3', 'o4', 'o5']);
      expect(await distances()).toEqual({ o1: null, o2: null, o3: null, o4: null, o5: null });
      expect(await outbox()).toEqual([]);

      // Applied directly, settle defaults to true: the listed shipments and the stale prefixes are worked out.
      const settled = await transactor.transaction((tx) => handler.apply([], tx));
      expect(settled.contextsRefreshed).toBe(5);
      expect(settled.events).toBeGreaterThan(0);
      const now = { o1: km([-23.67, -46.46], [-23.55, -46.64]), o2: km([-23.67, -46.46], [-22.9, -43.17]), o3: km([-22.9, -43.17], [-23.55, -46.64]), o4: null, o5: null };
      expect(await distances()).toEqual(now);
      const dispatched = (await outbox()).find((e) => e.aggregate_id === 'o1' && e.type === 'fulfillment.shipment-dispatched');
      expect(dispatched.envelope.payload.distanceKm).toBe(now.o1);
      expect(await stale()).toEqual([]);
      expect(await unsettled()).toEqual([]);

      // Another file's consumer at the end of its stream while the geolocation feed still has
      // batches to come: the stale prefixes wait for the feed to be drained.
      await apply(behind(tail, 2));
      expect(await due()).toEqual(['09350']);
      const beforeGeoEnd = await distances();
      await apply(behind(message('orders', 20, []), 0));
      // Settling worked the centroid out; its shipments wait for the drained feed.
      expect(await due()).toEqual([]);
      expect(await stale()).toEqual(['09350']);
      expect(await distances()).toEqual(beforeGeoEnd);
      // The geolocation feed drained: the stale prefix's shipments get the moved centroid.
      await apply(behind(message('geolocation', 14, []), 0));
      expect(await stale()).toEqual([]);
      const moved = { ...now, o1: km([-23.68, -46.47], [-23.55, -46.64]), o2: km([-23.68, -46.47], [-22.9, -43.17]) };
      expect(await distances()).toEqual(moved);

      // The same rows again, settled at once: nothing new to write.
      const events = (await outbox()).length;
      const again = await apply(...context.map((m) => behind(m, 0)));
      expect(again.events).toBe(0);
      expect((await outbox()).length).toBe(events);
      expect(await distances()).toEqual(moved);
    });
  });
});
