import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import type { QueryRunner } from 'typeorm';
import { CUSTOMER_SUBJECTS } from '@olist/customer-contracts';
import { FULFILLMENT_SUBJECTS } from '@olist/fulfillment-contracts';
import { MARKETPLACE_SUBJECTS } from '@olist/marketplace-contracts';
import { inboundMessage, type InboundMessage, messagingEventBatchesMigration, messagingTablesMigration, PgTransactor } from '@olist/messaging';
import { IMPORT_FILE_NAMES, IMPORT_SUBJECTS } from '@olist/quality-contracts';
import { SALES_SUBJECTS } from '@olist/sales-contracts';
import { createTestDatabase, rawFeedMessage, type TestDatabase } from '@olist/testing';
import { MartBuilder, type OpenSession } from '../marts/mart.builder';
import { resetProjection } from '../marts/mart-definitions';
import { WarehouseSchema1764600000000 } from '../persistence/migrations/1764600000000-warehouse-schema';
import { WarehouseSegmentOrder1764820000000 } from '../persistence/migrations/1764820000000-warehouse-segment-order';
import { WarehouseGeolocationLog1764840000000 } from '../persistence/migrations/1764840000000-warehouse-geolocation-log';
import { MartQueries, parseMartQuery } from '../read-model/mart-queries';
import { WarehouseProjector } from './warehouse.projector';

let sequence = 0;
function event(subject: string, payload: Record<string, unknown>, occurredAt = '2017-01-01T00:00:00Z'): InboundMessage {
  const [, context, name] = subject.split('.') as [string, string, string];
  const envelope = {
    id: randomUUID(), type: `${context}.${name}`, version: 1, occurredAt, recordedAt: '2024-05-01T08:00:00Z',
    aggregateId: 'x', correlationId: 'c', causationId: null, payload,
  };
  return inboundMessage({
    eventId: envelope.id, subject, stream: `OLIST_${context.toUpperCase()}`, streamSequence: ++sequence, deliveryCount: 1, headers: {},
    data: new TextEncoder().encode(JSON.stringify(envelope)),
  });
}

const item = (itemSeq: number, productId: string, sellerId: string, price: string, freight: string) =>
  ({ itemSeq, productId, sellerId, price, freight, shippingLimitAt: '2017-01-12T00:00:00Z' });
const placed = (orderId: string, customerId: string, status: string, purchasedAt: string, items: ReturnType<typeof item>[]) => {
  const cents = (k: 'price' | 'freight') => items.reduce((s, i) => s + Math.round(Number(i[k]) * 100), 0);
  return event(SALES_SUBJECTS.ORDER_PLACED_V1, {
    orderId, customerId, status, purchasedAt, items,
    itemsTotal: (cents('price') / 100).toFixed(2), freightTotal: (cents('freight') / 100).toFixed(2),
    orderTotal: ((cents('price') + cents('freight')) / 100).toFixed(2),
  });
};
const paid = (orderId: string, payments: { type: string; installments: number; value: string }[]) =>
  event(SALES_SUBJECTS.PAYMENT_RECEIVED_V1, {
    orderId,
    payments: payments.map((p, i) => ({ sequential: i + 1, ...p })),
    paymentsTotal: (payments.reduce((s, p) => s + Math.round(Number(p.value) * 100), 0) / 100).toFixed(2),
  });
const completed = (orderId: string, customerId: string, deliveredAt: string, estimatedDeliveryAt: string) =>
  event(SALES_SUBJECTS.ORDER_COMPLETED_V1, { orderId, customerId, deliveredAt, estimatedDeliveryAt, orderTotal: '0.00' });
const approved = (orderId: string, approvedAt: string) => event(SALES_SUBJECTS.ORDER_APPROVED_V1, { orderId, approvedAt });
const cancelled = (orderId: string, cancelledAt: string | null) =>
  event(SALES_SUBJECTS.ORDER_CANCELLED_V1, { orderId, status: 'canceled', cancelledAt, reason: 'canceled in the source data' });
const dispatched = (orderId: string, distanceKm: number | null) =>
  event(FULFILLMENT_SUBJECTS.SHIPMENT_DISPATCHED_V1, {
    orderId, sellerIds: ['s1', 's2'], carrierPickupAt: '2017-03-03T15:00:00Z', estimatedDeliveryAt: '2017-03-20T00:00:00Z',
    distanceKm, anomalies: ['CARRIER_PICKUP_BEFORE_PURCHASE'],
  });
/** Five days late, unless on time: two days early. */
const delivered = (orderId: string, distanceKm: number | null, onTime = false) =>
  event(FULFILLMENT_SUBJECTS.DELIVERY_COMPLETED_V1, {
    orderId, customerState: 'RJ', deliveredAt: onTime ? '2017-03-18T09:00:00Z' : '2017-03-25T09:00:00Z',
    estimatedDeliveryAt: '2017-03-20T00:00:00Z', delayDays: onTime ? -2 : 5, late: !onTime, deliveryDays: 23.4, distanceKm,
  });
const distanceChanged = (orderId: string, distanceKm: number | null) =>
  event(FULFILLMENT_SUBJECTS.SHIPMENT_DISTANCE_CHANGED_V1, { orderId, distanceKm });
/** Still on its way three days after the estimate. */
const delayed = (orderId: string) =>
  event(FULFILLMENT_SUBJECTS.DELIVERY_DELAYED_V1, {
    orderId, customerState: 'RJ', estimatedDeliveryAt: '2017-03-20T00:00:00Z', deliveredAt: null, delayDays: 3,
  });

const EVENTS = {
  customers: [
    event(CUSTOMER_SUBJECTS.CUSTOMER_REGISTERED_V1, { customerUniqueId: 'u1', customerIds: ['c1', 'c2'], state: 'SP' }),
    event(CUSTOMER_SUBJECTS.CUSTOMER_REGISTERED_V1, { customerUniqueId: 'u2', customerIds: ['c3'], state: 'RJ' }),
    event(CUSTOMER_SUBJECTS.CUSTOMER_SEGMENT_CHANGED_V1, { customerUniqueId: 'u1', from: null, to: 'ONE_TIME', asOf: '2017-02-01T00:00:00Z', orders: 1, monetary: '165.00' }),
    event(CUSTOMER_SUBJECTS.CUSTOMER_SEGMENT_CHANGED_V1, { customerUniqueId: 'u2', from: null, to: 'ONE_TIME', asOf: '2017-02-01T00:00:00Z', orders: 1, monetary: '38.50' }),
    event(CUSTOMER_SUBJECTS.REVIEW_SUBMITTED_V1, { reviewId: 'r1', orderId: 'o1', score: 5, createdAt: '2017-01-21T00:00:00Z', answeredAt: null, hasComment: true }),
    event(CUSTOMER_SUBJECTS.REVIEW_SUBMITTED_V1, { reviewId: 'r2', orderId: 'o2', score: 1, createdAt: '2017-02-11T00:00:00Z', answeredAt: null, hasComment: false }),
  ],
  // The approval of o1 comes before its placement: column groups are independent.
  salesEarly: [event(SALES_SUBJECTS.ORDER_APPROVED_V1, { orderId: 'o1', approvedAt: '2017-01-10T10:30:00Z' })],
  sales: [
    placed('o1', 'c1', 'delivered', '2017-01-10T10:00:00Z', [item(1, 'p1', 's1', '100.00', '10.00'), item(2, 'p2', 's1', '50.00', '5.00')]),
    paid('o1', [{ type: 'credit_card', installments: 3, value: '165.00' }]),
    completed('o1', 'c1', '2017-01-20T12:00:00Z', '2017-01-25T00:00:00Z'),
    placed('o2', 'c3', 'delivered', '2017-01-15T00:00:00Z', [item(1, 'p1', 's2', '30.00', '8.50')]),
    paid('o2', [{ type: 'boleto', installments: 1, value: '38.50' }]),
    completed('o2', 'c3', '2017-02-10T08:00:00Z', '2017-02-09T00:00:00Z'),
    placed('o3', 'c2', 'canceled', '2017-02-01T09:00:00Z', [item(1, 'p2', 's2', '20.00', '5.00')]),
    paid('o3', [{ type: 'voucher', installments: 1, value: '25.00' }]),
    event(SALES_SUBJECTS.ORDER_CANCELLED_V1, { orderId: 'o3', status: 'canceled', cancelledAt: null, reason: 'canceled in the source data' }),
  ],
  fulfillment: [
    event(FULFILLMENT_SUBJECTS.DELIVERY_COMPLETED_V1, {
      orderId: 'o2', customerState: 'RJ', deliveredAt: '2017-02-10T08:00:00Z', estimatedDeliveryAt: '2017-02-09T00:00:00Z',
      delayDays: 1, late: true, deliveryDays: 26.33, distanceKm: 357.1,
    }),
  ],
  marketplace: [
    event(MARKETPLACE_SUBJECTS.PRODUCT_LISTED_V1, {
      productId: 'p1', category: 'beleza_saude', categoryEn: 'health_beauty',
      dimensions: { weightG: 500, lengthCm: 19, heightCm: 8, widthCm: 13 }, photosQty: 2, exceptions: [],
    }),
    event(MARKETPLACE_SUBJECTS.SELLER_REGISTERED_V1, { sellerId: 's1', zipPrefix: '01001', city: 'sao paulo', state: 'SP', flags: [] }),
    event(MARKETPLACE_SUBJECTS.SELLER_REGISTERED_V1, { sellerId: 's2', zipPrefix: '20010', city: 'rio de janeiro', state: 'RJ', flags: [] }),
  ],
  geolocation: [
    rawFeedMessage({
      loadId: 'l1', file: 'geolocation', fileName: IMPORT_FILE_NAMES.geolocation, subject: IMPORT_SUBJECTS.geolocation, batch: 1, streamSequence: 1,
      rows: [
        { geolocation_zip_code_prefix: '1001', geolocation_lat: '-23.55', geolocation_lng: '-46.63', geolocation_city: 'sao paulo', geolocation_state: 'SP' },
        { geolocation_zip_code_prefix: '01001', geolocation_lat: '-23.57', geolocation_lng: '-46.65', geolocation_city: 'São Paulo', geolocation_state: 'SP' },
        { geolocation_zip_code_prefix: '01001', geolocation_lat: '-23.55', geolocation_lng: '-46.63', geolocation_city: 'sao paulo', geolocation_state: 'SP' },
        { geolocation_zip_code_prefix: '20010', geolocation_lat: '41.1', geolocation_lng: '-8.6', geolocation_city: 'porto', geolocation_state: 'RJ' },
      ],
    }),
  ],
};

describe('WarehouseProjector and MartBuilder against Postgres', () => {
  let db: TestDatabase;
  let pool: Pool;
  let transactor: PgTransactor;
  let builder: MartBuilder;
  const projector = new WarehouseProjector();

  let open: OpenSession;

  beforeAll(async () => {
    db = await createTestDatabase('warehouse_projection');
    pool = new Pool({ connectionString: db.url, max: 3 });
    transactor = new PgTransactor(pool);
    await pool.query('CREATE SCHEMA core; CREATE SCHEMA mart');
    const runner = { query: (sql: string) => pool.query(sql) } as unknown as QueryRunner;
    await new (messagingTablesMigration('core'))().up(runner);
    await new (messagingEventBatchesMigration('core'))().up(runner);
    await new WarehouseSchema1764600000000().up(runner);
    await new WarehouseSegmentOrder1764820000000().up(runner);
    await new WarehouseGeolocationLog1764840000000().up(runner);
    open = async () => {
      const client = await pool.connect();
      return { query: async <R>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as R[], release: () => client.release() };
    };
    builder = new MartBuilder(open);
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  const apply = (messages: InboundMessage[]) => transactor.transaction((tx) => projector.apply(messages, tx));
  const rows = async (sql: string) => (await pool.query(sql)).rows;
  async function applyAll() {
    await apply(EVENTS.salesEarly);
    await apply(EVENTS.customers);
    await apply(EVENTS.sales);
    await apply(EVENTS.fulfillment);
    await apply(EVENTS.marketplace);
    return apply(EVENTS.geolocation);
  }
  const marts = async () => ({
    revenue: await rows(`SELECT month, orders, items, price::text, freight::text, gmv::text, payments::text, aov::text FROM mart.revenue_monthly ORDER BY month`),
    delivery: await rows(`SELECT state, delivered, late, late_rate::float8 AS late_rate, round(avg_delivery_days, 4)::float8 AS days FROM mart.delivery_by_state ORDER BY state`),
    payments: await rows(`SELECT month, payment_type, payments, orders, value::text, avg_installments::float8 AS inst FROM mart.payment_mix ORDER BY 1, 2`),
    sellers: await rows(`SELECT seller_id, state, orders, items, revenue::text, freight::text, delivered, late, reviews, avg_review_score::float8 AS score FROM mart.seller_scorecard ORDER BY 1`),
    categories: await rows(`SELECT month, category, category_en, orders, items, gmv::text FROM mart.category_revenue_monthly ORDER BY 1, 2`),
    reviews: await rows(`SELECT bucket, orders, reviews, avg_score::float8 AS score, low_score_share::float8 AS low FROM mart.reviews_vs_delay WHERE reviews > 0 ORDER BY bucket_order`),
    segments: await rows(`SELECT state, segment, customers, orders, monetary::text FROM mart.customer_segments ORDER BY 1, 2`),
    rfm: await rows(`SELECT customer_unique_id, recency_days, frequency, monetary::text FROM mart.rfm ORDER BY 1`),
    cohorts: await rows(`SELECT cohort, months_since, cohort_size, customers, retention::float8 AS retention FROM mart.cohort_retention ORDER BY 1, 2`),
    geolocation: await rows(`SELECT zip_prefix, round(lat::numeric, 4)::float8 AS lat, round(lng::numeric, 4)::float8 AS lng, city, points FROM core.dim_geolocation ORDER BY 1`),
  });

  it('builds every mart from events that arrive in any order, to the centavo', async () => {
    const outcome = await applyAll();
    expect(outcome).toEqual({ events: 1, ignored: 0, geolocationPoints: 3, geolocationRefused: 1 });
    const build = await builder.build();
    expect(build?.builtFrom).toBe(21);
    expect(await builder.progress()).toMatchObject({ appliedEvents: 21, builtFrom: 21, fresh: true });

    const m = await marts();
    expect(m.revenue).toEqual([
      { month: '2017-01', orders: 2, items: 3, price: '180.00', freight: '23.50', gmv: '203.50', payments: '203.50', aov: '101.75' },
      { month: '2017-02', orders: 1, items: 1, price: '20.00', freight: '5.00', gmv: '25.00', payments: '25.00', aov: '25.00' },
    ]);
    // o1: 10 days 2 hours, on time; o2: 26 days 8 hours, delivered the day after its estimate.
    expect(m.delivery).toEqual([
      { state: 'RJ', delivered: 1, late: 1, late_rate: 1, days: 26.3333 },
      { state: 'SP', delivered: 1, late: 0, late_rate: 0, days: 10.0833 },
    ]);
    expect(m.payments).toEqual([
      { month: '2017-01', payment_type: 'boleto', payments: 1, orders: 1, value: '38.50', inst: 1 },
      { month: '2017-01', payment_type: 'credit_card', payments: 1, orders: 1, value: '165.00', inst: 3 },
      { month: '2017-02', payment_type: 'voucher', payments: 1, orders: 1, value: '25.00', inst: 1 },
    ]);
    expect(m.sellers).toEqual([
      { seller_id: 's1', state: 'SP', orders: 1, items: 2, revenue: '150.00', freight: '15.00', delivered: 1, late: 0, reviews: 1, score: 5 },
      { seller_id: 's2', state: 'RJ', orders: 2, items: 2, revenue: '50.00', freight: '13.50', delivered: 1, late: 1, reviews: 1, score: 1 },
    ]);
    expect(m.categories).toEqual([
      { month: '2017-01', category: 'beleza_saude', category_en: 'health_beauty', orders: 2, items: 2, gmv: '148.50' },
      { month: '2017-01', category: 'unknown', category_en: null, orders: 1, items: 1, gmv: '55.00' },
      { month: '2017-02', category: 'unknown', category_en: null, orders: 1, items: 1, gmv: '25.00' },
    ]);
    expect(m.reviews).toEqual([
      { bucket: 'early 1-7 days', orders: 1, reviews: 1, score: 5, low: 0 },
      { bucket: 'late 1-3 days', orders: 1, reviews: 1, score: 1, low: 1 },
    ]);
    expect(m.segments).toEqual([
      { state: 'RJ', segment: 'ONE_TIME', customers: 1, orders: 1, monetary: '38.50' },
      { state: 'SP', segment: 'ONE_TIME', customers: 1, orders: 1, monetary: '165.00' },
    ]);
    // The canceled o3 is no customer value; as of the last purchase kept (2017-01-15 00:00).
    expect(m.rfm).toEqual([
      { customer_unique_id: 'u1', recency_days: 4, frequency: 1, monetary: '165.00' },
      { customer_unique_id: 'u2', recency_days: 0, frequency: 1, monetary: '38.50' },
    ]);
    expect(m.cohorts).toEqual([{ cohort: '2017-01', months_since: 0, cohort_size: 2, customers: 2, retention: 1 }]);
    // Zip prefixes padded; the point in Portugal is left out; the centroid averages distinct points.
    expect(m.geolocation).toEqual([{ zip_prefix: '01001', lat: -23.56, lng: -46.64, city: 'sao paulo', points: 2 }]);
    const approved = await rows(`SELECT approved_at::text FROM core.fact_orders WHERE order_id = 'o1'`);
    expect(approved).toEqual([{ approved_at: '2017-01-10 10:30:00' }]);

    const queries = new MartQueries({ query: async (sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows });
    expect(await queries.reconciliationFigures()).toEqual({
      orders: 3, items: 4, price: '200.00', freight: '28.50', gmv: '228.50', payments: '228.50', paymentMix: '228.50',
      sellerRevenue: '200.00', categoryGmv: '228.50', delivered: 2, late: 1, customers: 2, segments: { ONE_TIME: 2 },
    });
  });

  it('changes nothing when the same events are applied again, and a replay from empty gives the same marts', async () => {
    const before = await marts();
    await applyAll();
    await builder.build();
    expect(await marts()).toEqual(before);
    await transactor.transaction((tx) => resetProjection(tx));
    expect(await rows(`SELECT count(*)::int AS n FROM mart.revenue_monthly`)).toEqual([{ n: 0 }]);
    expect(await builder.progress()).toMatchObject({ appliedEvents: 0, fresh: false });
    await applyAll();
    await builder.build();
    expect(await marts()).toEqual(before);
  });

  it('pages and filters marts, and refuses filters a mart does not have', async () => {
    const queries = new MartQueries({ query: async (sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows });
    const page = async (mart: string, raw: Record<string, string>) => {
      const q = parseMartQuery(mart, raw);
      if (!q.ok) throw new Error(q.error.message);
      return queries.page(q.value);
    };
    expect((await page('revenue_monthly', { from: '2017-02-01' })).rows.map((r) => r['month'])).toEqual(['2017-02']);
    const sellers = await page('seller_scorecard', { state: 'rj', limit: '1' });
    expect(sellers).toMatchObject({ total: 1, limit: 1, offset: 0, filters: { state: 'RJ' } });
    expect(sellers.rows[0]).toMatchObject({ seller_id: 's2', revenue: '50.00' });
    const categories = await page('category_revenue_monthly', { category: 'beleza_saude' });
    expect(categories.rows).toHaveLength(1);
    expect((await page('customer_segments', { limit: '1', offset: '1' })).rows).toEqual([
      { state: 'SP', segment: 'ONE_TIME', customers: 1, orders: 1, monetary: '165.00' },
    ]);
    const refused = parseMartQuery('revenue_monthly', { seller: 's1' });
    expect(refused.ok ? null : refused.error.message).toBe('mart revenue_monthly cannot be filtered by seller (it accepts from, to)');
    const unknown = parseMartQuery('sales', {});
    expect(unknown.ok ? null : unknown.error.code).toBe('MART_QUERY.UNKNOWN_MART');
    const badMonth = parseMartQuery('payment_mix', { from: '2017-13' });
    expect(badMonth.ok ? null : badMonth.error.message).toBe('from must be a month YYYY-MM or a date YYYY-MM-DD, got "2017-13"');
    const badLimit = parseMartQuery('rfm', { limit: '5000' });
    expect(badLimit.ok ? null : badLimit.error.message).toBe('limit must be an integer from 1 to 1000');
  });
  it('keeps the newest segment of a person when an older segment event is applied after it (a re-driven dead letter)', async () => {
    const segment = (to: string, orders: number, monetary: string) =>
      event(CUSTOMER_SUBJECTS.CUSTOMER_SEGMENT_CHANGED_V1, { customerUniqueId: 'u1', from: 'ONE_TIME', to, asOf: '2017-03-01T00:00:00Z', orders, monetary });
    const older = segment('CHURNED', 1, '165.00');
    const newer = segment('REGULAR', 2, '300.00');
    await apply([newer]);
    await apply([older]);
    await apply([newer, older]);
    const u1 = async () => rows(`SELECT segment, segment_orders, segment_monetary::text FROM core.dim_customer WHERE customer_unique_id = 'u1'`);
    expect(await u1()).toEqual([{ segment: 'REGULAR', segment_orders: 2, segment_monetary: '300.00' }]);
    await apply([segment('VIP', 3, '2000.00')]);
    expect(await u1()).toEqual([{ segment: 'VIP', segment_orders: 3, segment_monetary: '2000.00' }]);
  });

  it('counts a point once in dim_geolocation however often it arrives', async () => {
    await builder.build();
    const before = await rows(`SELECT zip_prefix, lat, lng, city, state, points FROM core.dim_geolocation`);
    // Points dim_geolocation already has, again in a later load's batch.
    await apply([
      rawFeedMessage({
        loadId: 'l3', file: 'geolocation', fileName: IMPORT_FILE_NAMES.geolocation, subject: IMPORT_SUBJECTS.geolocation, batch: 1, streamSequence: 3,
        rows: [
          { geolocation_zip_code_prefix: '01001', geolocation_lat: '-23.55', geolocation_lng: '-46.63', geolocation_city: 'sao paulo', geolocation_state: 'SP' },
          { geolocation_zip_code_prefix: '01001', geolocation_lat: '-23.57', geolocation_lng: '-46.65', geolocation_city: 'São Paulo', geolocation_state: 'SP' },
        ],
      }),
    ]);
    expect((await rows(`SELECT count(*)::int AS n FROM core.geolocation_points`))[0].n).toBe(5);
    // Appended as they came, in the batch's order.
    expect((await rows(`SELECT zip_prefix, lat, lng, city, state FROM core.geolocation_points ORDER BY ctid`)).slice(-2)).toEqual([
      { zip_prefix: '01001', lat: -23.55, lng: -46.63, city: 'sao paulo', state: 'SP' },
      { zip_prefix: '01001', lat: -23.57, lng: -46.65, city: 'são paulo', state: 'SP' },
    ]);
    await builder.build();
    expect(await rows(`SELECT zip_prefix, lat, lng, city, state, points FROM core.dim_geolocation`)).toEqual(before);
    expect(before).toEqual([expect.objectContaining({ zip_prefix: '01001', points: 2 })]);
  });

  it('rebuilds dim_geolocation only when points arrived since the last build', async () => {
    await builder.build();
    // A mark no build writes: kept while no point arrives, gone once one does.
    await pool.query(`UPDATE core.dim_geolocation SET city = 'kept' WHERE zip_prefix = '01001'`);
    await builder.build();
    expect(await rows(`SELECT city, points FROM core.dim_geolocation`)).toEqual([{ city: 'kept', points: 2 }]);
    await apply([
      rawFeedMessage({
        loadId: 'l2', file: 'geolocation', fileName: IMPORT_FILE_NAMES.geolocation, subject: IMPORT_SUBJECTS.geolocation, batch: 1, streamSequence: 2,
        rows: [{ geolocation_zip_code_prefix: '01001', geolocation_lat: '-23.59', geolocation_lng: '-46.61', geolocation_city: 'sao paulo', geolocation_state: 'SP' }],
      }),
    ]);
    await builder.build();
    expect(await rows(`SELECT city, points FROM core.dim_geolocation`)).toEqual([{ city: 'sao paulo', points: 3 }]);
  });

  it('rebuilds dim_geolocation alone when points arrived, and the next build keeps it', async () => {
    await builder.build();
    expect(await builder.buildGeolocation()).toBe(false); // nothing arrived since
    await apply([
      rawFeedMessage({
        loadId: 'l4', file: 'geolocation', fileName: IMPORT_FILE_NAMES.geolocation, subject: IMPORT_SUBJECTS.geolocation, batch: 1, streamSequence: 4,
        rows: [{ geolocation_zip_code_prefix: '01001', geolocation_lat: '-23.60', geolocation_lng: '-46.60', geolocation_city: 'sao paulo', geolocation_state: 'SP' }],
      }),
    ]);
    const points = (await rows(`SELECT count(DISTINCT (zip_prefix, lat, lng, city, state))::int AS n FROM core.geolocation_points`))[0].n;
    expect(await builder.buildGeolocation()).toBe(true);
    expect(await rows(`SELECT zip_prefix, points FROM core.dim_geolocation`)).toEqual([{ zip_prefix: '01001', points }]);
    expect((await rows(`SELECT geolocation_rows::int AS n FROM core.mart_build`))[0].n).toBe((await rows(`SELECT count(*)::int AS n FROM core.geolocation_points`))[0].n);
    // The marts' build that follows finds it current and keeps it as it is.
    await pool.query(`UPDATE core.dim_geolocation SET city = 'kept'`);
    const built = await builder.build();
    expect(built?.tables['core.dim_geolocation']).toBe(1);
    expect(await rows(`SELECT city FROM core.dim_geolocation`)).toEqual([{ city: 'kept' }]);
  });

  it('reports the geolocation feed messages applied, given the stream they come on', async () => {
    const told = new MartBuilder(open, { geolocationStream: 'OLIST_IMPORT' });
    const applied = (await rows(`SELECT applied_events::int AS n FROM core.projection_state WHERE stream = 'OLIST_IMPORT'`))[0]?.n ?? 0;
    expect((await told.progress()).geolocationApplied).toBe(applied);
    expect(applied).toBeGreaterThan(0);
    expect((await builder.progress()).geolocationApplied).toBe(0);
  });
  it('analyzes, before a build, the core tables the marts read where a tenth of the rows changed since', async () => {
    const stats = async () =>
      Object.fromEntries(
        (
          await rows(`SELECT s.relname, s.n_mod_since_analyze::int AS changed, c.reltuples::int AS tuples
                        FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
                       WHERE s.schemaname = 'core' AND s.relname IN ('dim_seller', 'dim_product')`)
        ).map((r) => [r.relname, { changed: r.changed, tuples: r.tuples }]),
      );
    await builder.build();
    const before = await stats();
    // 400 sellers written on a connection of their own, whose statistics are sent at once.
    const writer = await pool.connect();
    try {
      await writer.query(`INSERT INTO core.dim_seller (seller_id, zip_prefix, city, state)
                          SELECT 'bulk-' || n, '01001', 'sao paulo', 'SP' FROM generate_series(1, 400) n`);
      await writer.query('SELECT pg_stat_force_next_flush()');
      await writer.query('SELECT 1');
    } finally {
      writer.release();
    }
    for (let waited = 0; waited < 5_000 && ((await stats())['dim_seller']?.changed ?? 0) < 400; waited += 100) await new Promise((r) => setTimeout(r, 100));
    expect((await stats())['dim_seller']?.changed).toBeGreaterThanOrEqual(400);
    await apply([event(SALES_SUBJECTS.ORDER_APPROVED_V1, { orderId: 'stats-1', approvedAt: '2017-01-10T10:30:00Z' })]);
    await builder.build();
    const after = await stats();
    expect(after['dim_seller']).toMatchObject({ changed: 0 });
    expect(after['dim_seller']?.tuples).toBeGreaterThanOrEqual(400);
    // A table with a few changed rows is not analyzed again (ANALYZE would set its row count).
    expect(after['dim_product']?.tuples).toBe(before['dim_product']?.tuples);
    expect(before['dim_product']?.tuples).toBe(-1);
    await pool.query(`DELETE FROM core.dim_seller WHERE seller_id LIKE 'bulk-%'`);
    await pool.query(`DELETE FROM core.fact_orders WHERE order_id = 'stats-1'`);
  });

  it('builds every table from one snapshot of core, on two connections', async () => {
    await builder.build();
    const before = await marts();
    const { builtFrom } = await builder.progress();
    // An order committed once the first connection has taken its snapshot and before the second
    // opens: neither connection's tables may have it.
    let sessions = 0;
    const sneaky = new MartBuilder(async () => {
      sessions += 1;
      if (sessions === 2) {
        await apply([
          placed('o9', 'c1', 'delivered', '2017-03-05T10:00:00Z', [item(1, 'p1', 's1', '70.00', '7.00')]),
          paid('o9', [{ type: 'credit_card', installments: 1, value: '77.00' }]),
        ]);
      }
      return open();
    });
    const result = await sneaky.build();
    expect(sessions).toBe(2);
    expect(result?.builtFrom).toBe(builtFrom);
    expect(await marts()).toEqual(before);
    expect(await builder.progress()).toMatchObject({ fresh: false });
    await builder.build();
    expect((await marts()).revenue).toContainEqual(expect.objectContaining({ month: '2017-03', orders: 1, gmv: '77.00', payments: '77.00' }));
  });

  /**
   * Applies one batch; how many row versions it wrote to fact_orders and fact_deliveries (the
   * backend's counts may still hold earlier transactions' writes not yet reported, hence the difference).
   */
  const applyCountingWrites = (messages: InboundMessage[]) =>
    transactor.transaction(async (tx) => {
      const writes = async () => {
        const counts = await tx.query<{ table: string; n: number }>(
          `SELECT t AS table, coalesce((SELECT (n_tup_ins + n_tup_upd)::int FROM pg_stat_xact_user_tables s
                                         WHERE s.relid = ('core.' || t)::regclass), 0) AS n
             FROM unnest(ARRAY['fact_orders', 'fact_deliveries']) AS t`,
        );
        return new Map(counts.map((c) => [c.table, c.n]));
      };
      const before = await writes();
      await projector.apply(messages, tx);
      const after = await writes();
      return Object.fromEntries([...after].map(([table, n]) => [table, n - (before.get(table) ?? 0)]));
    });
  /** A fact row without its key and updated_at. */
  const fact = async (table: 'fact_orders' | 'fact_deliveries', orderId: string) =>
    (await pool.query(`SELECT to_jsonb(t) - 'order_id' - 'updated_at' AS row FROM core.${table} t WHERE order_id = $1`, [orderId])).rows[0]?.row;
  const lifecycle = (orderId: string) => [
    placed(orderId, 'c7', 'delivered', '2017-03-01T10:00:00Z', [item(1, 'p1', 's1', '40.00', '4.00')]),
    approved(orderId, '2017-03-01T10:20:00Z'),
    paid(orderId, [{ type: 'credit_card', installments: 2, value: '30.00' }, { type: 'voucher', installments: 1, value: '14.00' }]),
    completed(orderId, 'c7', '2017-03-09T18:00:00Z', '2017-03-15T00:00:00Z'),
  ];

  it('writes an order placed, approved, paid and completed in one batch once, as the same row as four batches', async () => {
    expect(await applyCountingWrites(lifecycle('m1'))).toEqual({ fact_orders: 1, fact_deliveries: 0 });
    for (const e of lifecycle('m2')) await apply([e]);
    for (const e of lifecycle('m3').reverse()) await apply([e]);
    const m1 = await fact('fact_orders', 'm1');
    expect(m1).toEqual({
      customer_id: 'c7', placed_status: 'delivered', purchased_at: '2017-03-01T10:00:00', purchase_date_key: 20170301,
      items_count: 1, items_total: 40.0, freight_total: 4.0, order_total: 44.0, approved_at: '2017-03-01T10:20:00',
      payments_count: 2, payments_total: 44.0, cancelled_status: null, cancelled_at: null,
      delivered_at: '2017-03-09T18:00:00', estimated_delivery_at: '2017-03-15T00:00:00',
    });
    expect(await fact('fact_orders', 'm2')).toEqual(m1);
    expect(await fact('fact_orders', 'm3')).toEqual(m1);
    // The same batch again writes the row once more and changes nothing.
    expect(await applyCountingWrites(lifecycle('m1'))).toEqual({ fact_orders: 1, fact_deliveries: 0 });
    expect(await fact('fact_orders', 'm1')).toEqual(m1);
    expect(await rows(`SELECT count(*)::int AS n FROM core.fact_payments WHERE order_id = 'm1'`)).toEqual([{ n: 2 }]);
  });

  it('replaces the items and payments of a known order placed or paid again, and writes those of a new order as they come', async () => {
    const lines = async (orderId: string) => ({
      items: await rows(`SELECT item_seq, price::text FROM core.fact_order_items WHERE order_id = '${orderId}' ORDER BY item_seq`),
      payments: await rows(`SELECT sequential, value::text FROM core.fact_payments WHERE order_id = '${orderId}' ORDER BY sequential`),
    });
    await apply([
      placed('r1', 'c1', 'delivered', '2017-04-01T10:00:00Z', [item(1, 'p1', 's1', '10.00', '1.00'), item(2, 'p2', 's1', '20.00', '2.00')]),
      paid('r1', [{ type: 'credit_card', installments: 1, value: '20.00' }, { type: 'voucher', installments: 1, value: '13.00' }]),
    ]);
    expect(await lines('r1')).toEqual({
      items: [{ item_seq: 1, price: '10.00' }, { item_seq: 2, price: '20.00' }],
      payments: [{ sequential: 1, value: '20.00' }, { sequential: 2, value: '13.00' }],
    });
    // Approved first (the row exists), then placed and paid with fewer lines: the old lines go.
    await apply([approved('r2', '2017-04-02T10:00:00Z')]);
    await apply([placed('r2', 'c2', 'delivered', '2017-04-02T09:00:00Z', [item(1, 'p1', 's1', '5.00', '1.00')])]);
    await apply([
      placed('r1', 'c1', 'delivered', '2017-04-01T10:00:00Z', [item(1, 'p1', 's1', '12.00', '1.00')]),
      paid('r1', [{ type: 'boleto', installments: 1, value: '13.00' }]),
      placed('r2', 'c2', 'delivered', '2017-04-02T09:00:00Z', [item(1, 'p1', 's1', '6.00', '1.00')]),
    ]);
    expect(await lines('r1')).toEqual({ items: [{ item_seq: 1, price: '12.00' }], payments: [{ sequential: 1, value: '13.00' }] });
    expect(await lines('r2')).toEqual({ items: [{ item_seq: 1, price: '6.00' }], payments: [] });
  });

  it("keeps the placed order's customer whether its completion comes in an earlier batch, the same batch or a later one", async () => {
    const placedFor = (orderId: string) => placed(orderId, 'c-placed', 'delivered', '2017-03-02T08:00:00Z', [item(1, 'p1', 's1', '10.00', '1.00')]);
    const completedFor = (orderId: string) => completed(orderId, 'c-completed', '2017-03-08T08:00:00Z', '2017-03-12T00:00:00Z');
    await apply([completedFor('m4')]);
    expect(await rows(`SELECT customer_id, purchased_at FROM core.fact_orders WHERE order_id = 'm4'`)).toEqual([{ customer_id: 'c-completed', purchased_at: null }]);
    await apply([placedFor('m4')]);
    await apply([completedFor('m5'), placedFor('m5')]);
    await apply([placedFor('m6')]);
    await apply([completedFor('m6')]);
    for (const orderId of ['m4', 'm5', 'm6']) {
      expect(await rows(`SELECT customer_id, purchased_at::text, delivered_at::text FROM core.fact_orders WHERE order_id = '${orderId}'`))
        .toEqual([{ customer_id: 'c-placed', purchased_at: '2017-03-02 08:00:00', delivered_at: '2017-03-08 08:00:00' }]);
    }
  });

  it('keeps the column groups of earlier batches when an order is approved before it is known, then placed, then cancelled', async () => {
    await apply([approved('m7', '2017-03-04T12:00:00Z')]);
    expect(await fact('fact_orders', 'm7')).toMatchObject({ approved_at: '2017-03-04T12:00:00', customer_id: null, purchased_at: null, items_count: null });
    await apply([placed('m7', 'c8', 'canceled', '2017-03-04T11:00:00Z', [item(1, 'p2', 's2', '15.00', '2.50')])]);
    await apply([cancelled('m7', null), approved('m8', '2017-03-05T12:00:00Z')]);
    expect(await fact('fact_orders', 'm7')).toEqual({
      customer_id: 'c8', placed_status: 'canceled', purchased_at: '2017-03-04T11:00:00', purchase_date_key: 20170304,
      items_count: 1, items_total: 15.0, freight_total: 2.5, order_total: 17.5, approved_at: '2017-03-04T12:00:00',
      payments_count: null, payments_total: null, cancelled_status: 'canceled', cancelled_at: null,
      delivered_at: null, estimated_delivery_at: null,
    });
    // A later approval replaces the earlier one and nothing else.
    await apply([approved('m7', '2017-03-04T13:00:00Z')]);
    expect(await fact('fact_orders', 'm7')).toMatchObject({ approved_at: '2017-03-04T13:00:00', customer_id: 'c8', cancelled_status: 'canceled', items_count: 1 });
  });

  it('applies a delay after a delivery of the same batch, and a dispatch without a distance keeps the known one', async () => {
    // In one batch, whatever their order in it: the delivery, then the delay (it keeps the delivery's time and delay days).
    expect(await applyCountingWrites([delayed('d1'), delivered('d1', 357.1), dispatched('d1', null)])).toEqual({ fact_orders: 0, fact_deliveries: 1 });
    await apply([dispatched('d2', null)]);
    await apply([delivered('d2', 357.1)]);
    await apply([delayed('d2')]);
    const d1 = await fact('fact_deliveries', 'd1');
    expect(d1).toEqual({
      seller_ids: ['s1', 's2'], carrier_pickup_at: '2017-03-03T15:00:00', anomalies: ['CARRIER_PICKUP_BEFORE_PURCHASE'],
      customer_state: 'RJ', estimated_delivery_at: '2017-03-20T00:00:00', delivered_at: '2017-03-25T09:00:00',
      delay_days: 5, late: true, delivery_days: 23.4, distance_km: 357.1,
    });
    expect(await fact('fact_deliveries', 'd2')).toEqual(d1);

    // A delay in the same batch as an on-time delivery still marks it late, and keeps its delay days.
    await apply([delayed('d7'), delivered('d7', 357.1, true)]);
    expect(await fact('fact_deliveries', 'd7')).toMatchObject({ delivered_at: '2017-03-18T09:00:00', delay_days: -2, late: true });

    // In separate batches the later event wins: the delay while on its way, then the delivery.
    await apply([delayed('d3')]);
    expect(await fact('fact_deliveries', 'd3')).toMatchObject({ delivered_at: null, delay_days: 3, late: true, seller_ids: null, anomalies: [] });
    await apply([delivered('d3', 357.1, true)]);
    expect(await fact('fact_deliveries', 'd3')).toMatchObject({ delivered_at: '2017-03-18T09:00:00', delay_days: -2, late: false, delivery_days: 23.4 });

    // A dispatch without a distance, in a later batch or in the same one, keeps the delivery's.
    await apply([delivered('d4', 357.1)]);
    await apply([dispatched('d4', null)]);
    await apply([dispatched('d5', null), delivered('d5', 357.1)]);
    for (const orderId of ['d4', 'd5']) {
      expect(await fact('fact_deliveries', orderId)).toMatchObject({ distance_km: 357.1, seller_ids: ['s1', 's2'], delivered_at: '2017-03-25T09:00:00', delay_days: 5 });
    }
    // A delivery without a distance keeps the dispatch's.
    await apply([dispatched('d6', 12.5), delivered('d6', null)]);
    expect(await fact('fact_deliveries', 'd6')).toMatchObject({ distance_km: 12.5, delivered_at: '2017-03-25T09:00:00' });
  });

  it("replaces a shipment's distance with the one a distance change announces, unless a later event of the batch carries its own", async () => {
    // Published without a distance, announced in a later batch.
    await apply([dispatched('m1', null), delivered('m1', null)]);
    expect(await fact('fact_deliveries', 'm1')).toMatchObject({ distance_km: null });
    await apply([distanceChanged('m1', 18.06)]);
    expect(await fact('fact_deliveries', 'm1')).toMatchObject({ distance_km: 18.06, delivered_at: '2017-03-25T09:00:00', delay_days: 5 });
    // A change to no distance (a centroid the shipment depends on is gone) clears it.
    await apply([distanceChanged('m1', null)]);
    expect(await fact('fact_deliveries', 'm1')).toMatchObject({ distance_km: null });
    // So does one written after a revised dispatch that knows no distance (whose null keeps the stored one).
    await apply([dispatched('m4', 12.5)]);
    await apply([dispatched('m4', null), distanceChanged('m4', null)]);
    expect(await fact('fact_deliveries', 'm4')).toMatchObject({ distance_km: null, seller_ids: ['s1', 's2'] });

    // In one batch: the change after the events wins, the last of two changes wins...
    await apply([dispatched('m2', 12.5), delivered('m2', 12.5), distanceChanged('m2', 20.25), distanceChanged('m2', 30.5)]);
    expect(await fact('fact_deliveries', 'm2')).toMatchObject({ distance_km: 30.5 });
    // ...and a delivery after the change carries the newer distance.
    await apply([dispatched('m3', null), distanceChanged('m3', 7.75), delivered('m3', 8.25)]);
    expect(await fact('fact_deliveries', 'm3')).toMatchObject({ distance_km: 8.25 });
    // The same change again writes nothing.
    expect(await applyCountingWrites([distanceChanged('m2', 30.5)])).toEqual({ fact_orders: 0, fact_deliveries: 0 });
  });

  it('names the products a category had when it is translated, whatever the batches, and no others', async () => {
    const listed = (productId: string, category: string, categoryEn: string | null) =>
      event(MARKETPLACE_SUBJECTS.PRODUCT_LISTED_V1, { productId, category, categoryEn, dimensions: {}, photosQty: 1, exceptions: [] });
    const recategorized = (productId: string, fromCategory: string, toCategory: string, toCategoryEn: string | null) =>
      event(MARKETPLACE_SUBJECTS.PRODUCT_RECATEGORIZED_V1, { productId, fromCategory, toCategory, toCategoryEn });
    const translated = (category: string, categoryEn: string) => event(MARKETPLACE_SUBJECTS.CATEGORY_TRANSLATED_V1, { category, categoryEn });
    const english = async () =>
      Object.fromEntries((await rows(`SELECT product_id, category_en FROM core.dim_product WHERE product_id LIKE 'q%' ORDER BY 1`)).map((r) => [r.product_id, r.category_en]));

    // Listed before the translation, in an earlier batch and in the same one; another category's product is left alone.
    await apply([listed('q1', 'artes', null), listed('q2', 'papelaria', null)]);
    await apply([listed('q3', 'artes', null), translated('artes', 'art')]);
    expect(await english()).toEqual({ q1: 'art', q2: null, q3: 'art' });
    // Listed after it, with the name; moved out of the category before a new name, which it then does not take.
    await apply([listed('q4', 'artes', 'art'), recategorized('q3', 'artes', 'papelaria', null), translated('artes', 'arts')]);
    expect(await english()).toEqual({ q1: 'arts', q2: null, q3: null, q4: 'arts' });
    // The last of two names in one batch stands; the same name again changes nothing.
    await apply([translated('papelaria', 'stationary'), translated('papelaria', 'stationery')]);
    expect(await english()).toEqual({ q1: 'arts', q2: 'stationery', q3: 'stationery', q4: 'arts' });
    const before = await rows(`SELECT product_id, updated_at FROM core.dim_product WHERE product_id LIKE 'q%' ORDER BY 1`);
    await apply([translated('papelaria', 'stationery')]);
    expect(await rows(`SELECT product_id, updated_at FROM core.dim_product WHERE product_id LIKE 'q%' ORDER BY 1`)).toEqual(before);
  });
});
