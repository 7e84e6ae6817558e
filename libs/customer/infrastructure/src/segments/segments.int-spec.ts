import { Pool } from 'pg';
import type { QueryRunner } from 'typeorm';
import { CUSTOMER_CONTRACTS } from '@olist/customer-contracts';
import { type CustomerMetrics, segmentOf } from '@olist/customer-domain';
import { ContractRegistry, type InboundMessage, inboundMessage, messagingEventBatchesMigration, messagingTablesMigration, Outbox, PgTransactor } from '@olist/messaging';
import { type OrderCancelledV1, type OrderPlacedV1, SALES_CONTRACTS, SALES_SUBJECTS } from '@olist/sales-contracts';
import { Money, unwrap } from '@olist/shared-kernel';
import { createTestDatabase, type TestDatabase } from '@olist/testing';
import { SalesEventsHandler } from '../messaging/sales-events.handler';
import { CustomerSchema1764500000000 } from '../persistence/migrations/1764500000000-customer-schema';
import { CustomerSegments1764600000000 } from '../persistence/migrations/1764600000000-customer-segments';
import { SegmentRecomputer } from './segment-recomputer';
import { segmentCaseSql } from './segment.sql';
import { markSegmentsDirty } from './segment-work';

let sequence = 0;
function salesEvent(type: 'sales.order-placed' | 'sales.order-cancelled', payload: OrderPlacedV1 | OrderCancelledV1, seq = ++sequence): InboundMessage {
  const subject = type === 'sales.order-placed' ? SALES_SUBJECTS.ORDER_PLACED_V1 : SALES_SUBJECTS.ORDER_CANCELLED_V1;
  const envelope = {
    id: `00000000-0000-4000-8000-${String(seq).padStart(12, '0')}`,
    type,
    version: 1,
    occurredAt: '2018-01-01T00:00:00Z',
    recordedAt: '2018-01-01T00:00:00Z',
    aggregateId: payload.orderId,
    correlationId: 'segments-spec',
    causationId: null,
    payload,
  };
  return inboundMessage({ eventId: envelope.id, subject, stream: 'OLIST_SALES', streamSequence: seq, deliveryCount: 1, headers: {}, data: new TextEncoder().encode(JSON.stringify(envelope)) });
}

/** An order-placed with one item of `total` (price total − 10.00, freight 10.00). */
function placed(orderId: string, customerId: string, purchasedAt: string, total: string, status: OrderPlacedV1['status'] = 'delivered', seq?: number) {
  const freight = '10.00';
  const price = unwrap(Money.parse(total)).subtract(unwrap(Money.parse(freight))).toDecimalString();
  return salesEvent(
    'sales.order-placed',
    {
      orderId,
      customerId,
      status,
      purchasedAt,
      items: [{ itemSeq: 1, productId: 'p1', sellerId: 's1', price, freight, shippingLimitAt: purchasedAt }],
      itemsTotal: price,
      freightTotal: freight,
      orderTotal: total,
    },
    seq,
  );
}
const cancelled = (orderId: string, status: OrderCancelledV1['status'] = 'canceled') =>
  salesEvent('sales.order-cancelled', { orderId, status, cancelledAt: null, reason: `order_status is ${status} in the source data` });

describe('customer metrics and segments against Postgres', () => {
  let db: TestDatabase;
  let pool: Pool;
  let transactor: PgTransactor;
  const outbox = new Outbox('customer', new ContractRegistry([...CUSTOMER_CONTRACTS, ...SALES_CONTRACTS]));
  const handler = new SalesEventsHandler();
  const recomputer = new SegmentRecomputer(outbox, { appendChunk: 2 });

  beforeAll(async () => {
    db = await createTestDatabase('customer_segments');
    pool = new Pool({ connectionString: db.url, max: 3 });
    transactor = new PgTransactor(pool);
    await pool.query('CREATE SCHEMA customer');
    const runner = { query: (sql: string) => pool.query(sql) } as unknown as QueryRunner;
    await new (messagingTablesMigration('customer'))().up(runner);
    await new (messagingEventBatchesMigration('customer'))().up(runner);
    await new CustomerSchema1764500000000().up(runner);
    await new CustomerSegments1764600000000().up(runner);
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  beforeEach(async () => {
    await pool.query('TRUNCATE customer.customers, customer.customer_ids, customer.order_facts, customer.segments, customer.outbox');
    await pool.query('UPDATE customer.segment_work SET generation = 0, computed_generation = 0, as_of = NULL');
  });

  const apply = (...messages: InboundMessage[]) => transactor.transaction((tx) => handler.handle(messages, tx));
  const recompute = (r: SegmentRecomputer = recomputer) => transactor.transaction((tx) => r.recompute(tx));
  const rows = async (sql: string, params?: unknown[]) => (await pool.query(sql, params)).rows;
  const work = async () => (await rows(`SELECT generation::int, computed_generation::int FROM customer.segment_work`))[0];
  const events = async () =>
    (await rows(`SELECT id, aggregate_id, envelope FROM customer.outbox_events WHERE type = 'customer.customer-segment-changed' ORDER BY aggregate_id, position, seq`)).map(
      (r) => ({ id: r.id, occurredAt: r.envelope.occurredAt, ...r.envelope.payload }),
    );
  const segments = async () =>
    rows(`SELECT customer_unique_id AS id, segment, orders, monetary::text AS monetary,
                 to_char(last_order_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS last, to_char(as_of AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') AS as_of
            FROM customer.segments ORDER BY 1`);

  /** Registers customer ids of persons the way the customer import leaves them (personal columns are irrelevant here). */
  async function register(accounts: [customerId: string, uniqueId: string][]) {
    await transactor.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO customer.customer_ids (customer_id, customer_unique_id, state, zip_prefix, zip_prefix_hash, city, city_hash)
         SELECT c, u, 'SP', '\\x00', '\\x00', '\\x00', '\\x00' FROM unnest($1::text[], $2::text[]) AS a(c, u)`,
        [accounts.map((a) => a[0]), accounts.map((a) => a[1])],
      );
      await tx.query(
        `INSERT INTO customer.customers (customer_unique_id, customer_ids, state)
         SELECT customer_unique_id, array_agg(customer_id ORDER BY customer_id), 'SP' FROM customer.customer_ids GROUP BY 1
         ON CONFLICT (customer_unique_id) DO UPDATE SET customer_ids = EXCLUDED.customer_ids`,
      );
      await markSegmentsDirty(tx);
    });
  }

  describe('the SQL classification', () => {
    const asOf = new Date('2018-10-17T17:30:18Z');
    const DAY = 86_400_000;
    const before = (ms: number) => new Date(asOf.getTime() - ms);
    const cases: [orders: number, monetary: string, lastOrderAt: Date | null][] = [
      [0, '0.00', null],
      [1, '10.00', before(DAY)],
      [2, '20.00', before(DAY)],
      [5, '5000.00', before(DAY)],
      [6, '1000.00', before(DAY)],
      [6, '1000.01', before(DAY)],
      [6, '999.99', before(DAY)],
      [5, '1000.01', before(DAY)],
      [1, '10.00', before(180 * DAY)],
      [1, '10.00', before(180 * DAY + 1000)],
      [1, '10.00', before(180 * DAY - 1000)],
      [6, '1000.01', before(180 * DAY)],
      [6, '1000.01', before(180 * DAY + 1000)],
      [2, '20.00', before(180 * DAY + 1000)],
      [1, '10.00', new Date(asOf.getTime() + DAY)],
    ];

    it('equals segmentOf() on every boundary', async () => {
      const sql = `SELECT ${segmentCaseSql({ orders: 'r.orders', monetary: 'r.monetary', lastOrderAt: 'r.last_order_at', asOf: '$4::timestamptz' })} AS segment
                     FROM unnest($1::int[], $2::numeric[], $3::timestamptz[]) WITH ORDINALITY AS r(orders, monetary, last_order_at, n) ORDER BY r.n`;
      const result = await rows(sql, [cases.map((c) => c[0]), cases.map((c) => c[1]), cases.map((c) => c[2]?.toISOString() ?? null), asOf.toISOString()]);
      const expected = cases.map(([orders, monetary, lastOrderAt]) => segmentOf({ orders, monetary: unwrap(Money.parse(monetary)), lastOrderAt } as CustomerMetrics, asOf));
      expect(result.map((r) => r.segment)).toEqual(expected);
      // The table does reach every segment and both sides of each boundary.
      expect(expected).toEqual([
        'NEW', 'ONE_TIME', 'REGULAR', 'REGULAR', 'LOYAL', 'VIP', 'LOYAL', 'REGULAR',
        'ONE_TIME', 'CHURNED', 'ONE_TIME', 'VIP', 'CHURNED', 'CHURNED', 'ONE_TIME',
      ]);
    });
  });

  it('computes exact metrics and segments, excluding cancelled orders, and emits one event per first segment', async () => {
    await register([['c1', 'u1'], ['c2', 'u1'], ['c3', 'u2'], ['c4', 'u3'], ['c5', 'u4']]);
    await apply(
      placed('o1', 'c1', '2018-01-10T10:00:00Z', '100.10'),
      placed('o2', 'c2', '2018-03-01T08:30:00Z', '50.05'),
      placed('o3', 'c2', '2018-04-01T08:30:00Z', '999.99', 'canceled'),
      placed('o4', 'c3', '2017-01-01T00:00:00Z', '20.00'),
      placed('o5', 'c4', '2018-04-02T00:00:00Z', '30.00'),
      cancelled('o5', 'unavailable'),
      placed('o6', 'c3', '2018-08-01T12:00:00Z', '1.00', 'unavailable'),
    );
    const done = await recompute();
    // as-of: the latest purchase of all orders known, cancelled ones included.
    expect(done).toMatchObject({ asOf: '2018-08-01T12:00:00Z', customers: 4, changed: 4 });
    expect(await segments()).toEqual([
      { id: 'u1', segment: 'REGULAR', orders: 2, monetary: '150.15', last: '2018-03-01 08:30:00', as_of: '2018-08-01 12:00:00' },
      { id: 'u2', segment: 'CHURNED', orders: 1, monetary: '20.00', last: '2017-01-01 00:00:00', as_of: '2018-08-01 12:00:00' },
      { id: 'u3', segment: 'NEW', orders: 0, monetary: '0.00', last: null, as_of: '2018-08-01 12:00:00' },
      { id: 'u4', segment: 'NEW', orders: 0, monetary: '0.00', last: null, as_of: '2018-08-01 12:00:00' },
    ]);
    const emitted = await events();
    expect(emitted.map(({ id: _, ...e }) => e)).toEqual([
      { occurredAt: '2018-08-01T12:00:00Z', customerUniqueId: 'u1', from: null, to: 'REGULAR', asOf: '2018-08-01T12:00:00Z', orders: 2, monetary: '150.15' },
      { occurredAt: '2018-08-01T12:00:00Z', customerUniqueId: 'u2', from: null, to: 'CHURNED', asOf: '2018-08-01T12:00:00Z', orders: 1, monetary: '20.00' },
      { occurredAt: '2018-08-01T12:00:00Z', customerUniqueId: 'u3', from: null, to: 'NEW', asOf: '2018-08-01T12:00:00Z', orders: 0, monetary: '0.00' },
      { occurredAt: '2018-08-01T12:00:00Z', customerUniqueId: 'u4', from: null, to: 'NEW', asOf: '2018-08-01T12:00:00Z', orders: 0, monetary: '0.00' },
    ]);
    expect(await work()).toEqual({ generation: 2, computed_generation: 2 });
  });

  it('ends in the same segments and events when recomputed in ranges of persons, each range a transaction of its own', async () => {
    const persons = Array.from({ length: 7 }, (_, i) => [`c${i}`, `u${i}`] as [string, string]);
    const scenario = async () => {
      await pool.query('TRUNCATE customer.customers, customer.customer_ids, customer.order_facts, customer.segments, customer.outbox');
      await pool.query('UPDATE customer.segment_work SET generation = 0, computed_generation = 0, as_of = NULL');
      await register(persons);
      await apply(...persons.slice(0, 5).map(([c], i) => placed(`o${i}`, c, `2018-0${i + 1}-10T10:00:00Z`, `${10 * (i + 1)}.00`)));
    };
    const state = async () => ({ segments: await segments(), events: await events(), work: await work() });
    await scenario();
    const whole = await recompute();
    const expected = await state();
    // A new order moves one person: the second recomputation emits for that person only.
    await apply(placed('o9', 'c6', '2018-06-01T00:00:00Z', '5.00'));
    const wholeAgain = await recompute();
    const expectedAgain = await state();

    const inRanges = new SegmentRecomputer(outbox, { appendChunk: 2, personsPerChunk: 2 });
    await scenario();
    expect(await inRanges.recomputeInChunks(transactor)).toEqual(whole);
    expect(await state()).toEqual(expected);
    await apply(placed('o9', 'c6', '2018-06-01T00:00:00Z', '5.00'));
    expect(await inRanges.recomputeInChunks(transactor)).toEqual(wholeAgain);
    expect(wholeAgain).toMatchObject({ customers: 7, changed: 1 });
    expect(await state()).toEqual(expectedAgain);
    expect(await inRanges.recomputeInChunks(transactor)).toMatchObject({ customers: 7, changed: 0 });
    expect(await state()).toEqual(expectedAgain);

    // Another recomputation holding the lock at the start: nothing is done.
    await apply(placed('o10', 'c5', '2018-07-01T00:00:00Z', '5.00'));
    const holder = await pool.connect();
    try {
      await holder.query(`BEGIN; SELECT pg_advisory_xact_lock(hashtext('customer.segments'))`);
      expect(await inRanges.recomputeInChunks(transactor)).toBeNull();
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    expect((await work()).computed_generation).toBeLessThan((await work()).generation);
  });

  it('changes and emits nothing when the same events are applied again and the segments recomputed', async () => {
    await register([['c1', 'u1']]);
    const batch = [placed('o1', 'c1', '2018-01-10T10:00:00Z', '100.10', 'delivered', 1001), cancelled('o2')];
    expect(await apply(...batch)).toEqual({ ordersChanged: 2 });
    await recompute();
    const before = { facts: await rows(`SELECT * FROM customer.order_facts ORDER BY 1`), segments: await segments(), events: await events(), work: await work() };

    expect(await apply(...batch)).toEqual({ ordersChanged: 0 });
    expect(await apply(...[...batch].reverse())).toEqual({ ordersChanged: 0 });
    expect(await work()).toEqual(before.work);
    const again = await recompute();
    expect(again).toMatchObject({ changed: 0, customers: 1 });
    expect({ facts: await rows(`SELECT * FROM customer.order_facts ORDER BY 1`), segments: await segments(), events: await events(), work: await work() }).toEqual(before);
  });

  it('ends in the same state whatever the order of arrival, orders before their customer included', async () => {
    const events1 = [placed('o1', 'c1', '2018-01-10T10:00:00Z', '10.00', 'delivered', 2001), placed('o1', 'c1', '2018-01-10T10:00:00Z', '12.50', 'delivered', 2002), cancelled('o2'), placed('o2', 'c1', '2018-02-10T10:00:00Z', '40.00', 'delivered', 2003), placed('o3', 'c1', '2018-02-11T10:00:00Z', '7.25', 'delivered', 2004)];
    const outcome = async (arrival: InboundMessage[], customerFirst: boolean) => {
      await pool.query('TRUNCATE customer.customers, customer.customer_ids, customer.order_facts, customer.segments, customer.outbox');
      if (customerFirst) await register([['c1', 'u1']]);
      for (const m of arrival) await apply(m);
      if (!customerFirst) {
        // Orders of a customer id not registered yet are kept and count once it is.
        expect(await recompute()).toMatchObject({ customers: 0, changed: 0 });
        await register([['c1', 'u1']]);
      }
      await recompute();
      return { facts: await rows(`SELECT order_id, customer_id, purchased_at, order_total::text, placed_seq::int, cancelled FROM customer.order_facts ORDER BY 1`), segments: await segments() };
    };
    const inOrder = await outcome(events1, true);
    expect(inOrder.facts).toEqual([
      expect.objectContaining({ order_id: 'o1', order_total: '12.50', placed_seq: 2002, cancelled: false }),
      expect.objectContaining({ order_id: 'o2', order_total: '40.00', placed_seq: 2003, cancelled: true }),
      expect.objectContaining({ order_id: 'o3', order_total: '7.25', placed_seq: 2004, cancelled: false }),
    ]);
    expect(inOrder.segments).toEqual([{ id: 'u1', segment: 'REGULAR', orders: 2, monetary: '19.75', last: '2018-02-11 10:00:00', as_of: '2018-02-11 10:00:00' }]);
    expect(await outcome([...events1].reverse(), false)).toEqual(inOrder);
    expect(await outcome([events1[3], events1[1], events1[4], events1[0], events1[2]] as InboundMessage[], true)).toEqual(inOrder);
  });

  it('emits an event only for the persons whose segment or figures changed, from the previous segment', async () => {
    await register([['c1', 'u1'], ['c2', 'u2']]);
    const orders = Array.from({ length: 6 }, (_, i) => placed(`a${i}`, 'c1', `2018-05-0${i + 1}T00:00:00Z`, '200.00'));
    await apply(...orders.slice(0, 5), placed('b1', 'c2', '2018-05-01T00:00:00Z', '10.00'));
    await recompute();
    expect((await segments()).map((s) => [s.id, s.segment, s.orders, s.monetary])).toEqual([
      ['u1', 'REGULAR', 5, '1000.00'],
      ['u2', 'ONE_TIME', 1, '10.00'],
    ]);
    await pool.query('TRUNCATE customer.outbox');

    // A sixth order of 200.00: 6 orders and 1,200.00 — VIP. u2 stays ONE_TIME although the as-of moved.
    await apply(orders[5] as InboundMessage);
    const done = await recompute();
    expect(done).toMatchObject({ asOf: '2018-05-06T00:00:00Z', customers: 2, changed: 1 });
    const emitted = await events();
    expect(emitted.map(({ id: _, ...e }) => e)).toEqual([
      { occurredAt: '2018-05-06T00:00:00Z', customerUniqueId: 'u1', from: 'REGULAR', to: 'VIP', asOf: '2018-05-06T00:00:00Z', orders: 6, monetary: '1200.00' },
    ]);
    expect((await segments()).find((s) => s.id === 'u2')).toMatchObject({ segment: 'ONE_TIME', as_of: '2018-05-06 00:00:00' });

    // Cancelling one of them brings u1 back to 5 orders.
    await apply(cancelled('a5'));
    await recompute();
    expect((await events()).map((e) => [e.customerUniqueId, e.from, e.to, e.orders, e.monetary])).toEqual([
      ['u1', 'REGULAR', 'VIP', 6, '1200.00'],
      ['u1', 'VIP', 'REGULAR', 5, '1000.00'],
    ]);

    // u2's order placed again with a corrected total: still ONE_TIME, its figures moved.
    await apply(placed('b1', 'c2', '2018-05-01T00:00:00Z', '12.50'));
    expect(await recompute()).toMatchObject({ changed: 1 });
    expect((await events()).filter((e) => e.customerUniqueId === 'u2').map((e) => [e.from, e.to, e.orders, e.monetary])).toEqual([['ONE_TIME', 'ONE_TIME', 1, '12.50']]);
  });

  it('uses a fixed as-of when one is given', async () => {
    await register([['c1', 'u1']]);
    await apply(placed('o1', 'c1', '2018-01-01T00:00:00Z', '10.00'));
    const fixed = new SegmentRecomputer(outbox, { asOf: new Date('2018-06-30T00:00:01Z') });
    expect(await recompute(fixed)).toMatchObject({ asOf: '2018-06-30T00:00:01Z', changed: 1 });
    // 2018-01-01 → 2018-06-30 00:00:01 is 180 days and one second.
    expect((await segments())[0]).toMatchObject({ segment: 'CHURNED', as_of: '2018-06-30 00:00:01' });
    await recompute(new SegmentRecomputer(outbox, { asOf: new Date('2018-06-30T00:00:00Z') }));
    expect((await events()).map((e) => [e.from, e.to])).toEqual([
      [null, 'CHURNED'],
      ['CHURNED', 'ONE_TIME'],
    ]);
  });

  it('is due only when the inputs changed and have been quiet, and one recomputation runs at a time', async () => {
    const sql = { query: async <R>(text: string) => (await pool.query(text)).rows as R[] };
    await register([['c1', 'u1']]);
    expect((await recomputer.due(sql, 60_000)).dirty).toBe(false);
    expect((await recomputer.due(sql, 0)).dirty).toBe(true);
    await recompute();
    expect((await recomputer.due(sql, 0)).dirty).toBe(false);
    expect(await apply(placed('o1', 'c1', '2018-01-01T00:00:00Z', '10.00'))).toEqual({ ordersChanged: 1 });
    expect((await recomputer.due(sql, 0)).dirty).toBe(true);

    const holder = await pool.connect();
    try {
      await holder.query(`BEGIN; SELECT pg_advisory_xact_lock(hashtext('customer.segments'))`);
      expect(await recompute()).toBeNull();
    } finally {
      await holder.query('ROLLBACK');
      holder.release();
    }
    expect(await recompute()).toMatchObject({ changed: 1 });
    expect((await recomputer.due(sql, 0)).dirty).toBe(false);
  });
});
