import { Pool } from 'pg';
import type { QueryRunner } from 'typeorm';
import { ContractRegistry, type InboundMessage, messagingEventBatchesMigration, messagingTablesMigration, Outbox, PgTransactor } from '@olist/messaging';
import { IMPORT_CONTRACTS, IMPORT_FILE_NAMES, IMPORT_SUBJECTS, type ImportFile } from '@olist/quality-contracts';
import { SALES_CONTRACTS } from '@olist/sales-contracts';
import { createTestDatabase, type TestDatabase, rawFeedMessage } from '@olist/testing';
import { SalesSchema1764300000000 } from '../persistence/migrations/1764300000000-sales-schema';
import { SalesWaitingLines1764860000000 } from '../persistence/migrations/1764860000000-sales-waiting-lines';
import { SalesOrderUpdateRoom1764880000000 } from '../persistence/migrations/1764880000000-sales-order-update-room';
import { SalesImportHandler } from './sales-import.handler';

type Row = Record<string, string | null>;
const LOAD = '0b6c1d3e-5f7a-4c2b-9e8d-1a2b3c4d5e6f';

const order = (id: string, status: string, extra: Row = {}): Row => ({
  order_id: id,
  customer_id: `c-${id}`,
  order_status: status,
  order_purchase_timestamp: '2017-10-02 10:56:33',
  order_approved_at: '2017-10-02 11:07:15',
  order_delivered_carrier_date: status === 'delivered' || status === 'shipped' ? '2017-10-04 19:55:00' : null,
  order_delivered_customer_date: status === 'delivered' ? '2017-10-10 21:25:13' : null,
  order_estimated_delivery_date: '2017-10-18 00:00:00',
  ...extra,
});
const item = (id: string, seq: number, price: string, freight: string): Row => ({
  order_id: id,
  order_item_id: String(seq),
  product_id: 'p1',
  seller_id: 's1',
  shipping_limit_date: '2017-10-06 11:07:15',
  price,
  freight_value: freight,
});
const payment = (id: string, seq: number, value: string, type = 'credit_card'): Row => ({
  order_id: id,
  payment_sequential: String(seq),
  payment_type: type,
  payment_installments: '1',
  payment_value: value,
});

const ORDERS = [order('o1', 'delivered'), order('o2', 'canceled', { order_approved_at: null }), order('o3', 'shipped')];
const ITEMS_1 = [item('o1', 1, '29.99', '8.72'), item('o3', 1, '199.0', '17.87')];
const ITEMS_2 = [item('o1', 2, '10.00', '0.01')];
const PAYMENTS = [payment('o1', 1, '18.12'), payment('o1', 2, '30.60', 'voucher'), payment('o2', 1, '5.00', 'boleto'), payment('o3', 1, '216.87')];

let sequence = 0;
function message(file: ImportFile, batch: number, rows: readonly Row[], firstLine = 2): InboundMessage {
  return rawFeedMessage({ loadId: LOAD, file, fileName: IMPORT_FILE_NAMES[file], subject: IMPORT_SUBJECTS[file], batch, rows, firstLine, streamSequence: ++sequence });
}

const feed = {
  orders: message('orders', 1, ORDERS),
  items1: message('order_items', 1, ITEMS_1),
  items2: message('order_items', 2, ITEMS_2, 4),
  payments: message('order_payments', 1, PAYMENTS),
};

describe('SalesImportHandler against Postgres', () => {
  let db: TestDatabase;
  let pool: Pool;
  let transactor: PgTransactor;
  const handler = new SalesImportHandler(new Outbox('sales', new ContractRegistry([...SALES_CONTRACTS, ...IMPORT_CONTRACTS])));

  beforeAll(async () => {
    db = await createTestDatabase('sales_import');
    pool = new Pool({ connectionString: db.url, max: 2 });
    transactor = new PgTransactor(pool);
    await pool.query('CREATE SCHEMA sales');
    const runner = { query: (sql: string) => pool.query(sql) } as unknown as QueryRunner;
    await new (messagingTablesMigration('sales'))().up(runner);
    await new (messagingEventBatchesMigration('sales'))().up(runner);
    await new SalesSchema1764300000000().up(runner);
    await new SalesWaitingLines1764860000000().up(runner);
    await new SalesOrderUpdateRoom1764880000000().up(runner);
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  beforeEach(async () => {
    await pool.query('TRUNCATE sales.orders, sales.order_items, sales.order_payments, sales.import_rejections, sales.outbox');
  });

  const apply = (...messages: InboundMessage[]) => transactor.transaction((tx) => handler.handle(messages, tx));

  /** Everything the import stores, without the bookkeeping times. */
  async function state() {
    const q = async (sql: string) => (await pool.query(sql)).rows;
    return {
      orders: await q(`SELECT * FROM sales.orders ORDER BY order_id`).then((rows) => rows.map(({ updated_at: _, ...r }) => r)),
      items: await q(`SELECT * FROM sales.order_items ORDER BY order_id, item_seq`),
      payments: await q(`SELECT * FROM sales.order_payments ORDER BY order_id, sequential`),
      waitingItems: await q(`SELECT count(*)::int AS n FROM sales.order_items i WHERE NOT EXISTS (SELECT 1 FROM sales.orders o WHERE o.order_id = i.order_id)`),
      waitingPayments: await q(`SELECT count(*)::int AS n FROM sales.order_payments p WHERE NOT EXISTS (SELECT 1 FROM sales.orders o WHERE o.order_id = p.order_id)`),
      rejections: await q(`SELECT load_id, file, line, code FROM sales.import_rejections ORDER BY file, line, code`),
    };
  }
  const outbox = async () => (await pool.query(`SELECT type, aggregate_id, envelope FROM sales.outbox_events ORDER BY position, seq`)).rows;

  it('decides orders, totals them exactly, keeps the order without items with a reason, and emits the events', async () => {
    await apply(feed.orders, feed.items1, feed.items2, feed.payments);
    const { orders, items, payments, waitingItems } = await state();
    expect(orders.map((o) => [o.order_id, o.status, o.order_total_centavos, o.payments_total_centavos, o.payment_difference_centavos])).toEqual([
      ['o1', 'delivered', '4872', '4872', '0'],
      ['o2', 'canceled', '0', '500', '500'],
      ['o3', 'shipped', '21687', '21687', '0'],
    ]);
    expect(orders.find((o) => o.order_id === 'o2')?.issues).toEqual([{ code: 'ORDER.NO_ITEMS', message: 'no item of this order has been received' }]);
    expect(items).toHaveLength(3);
    expect(payments).toHaveLength(4);
    expect(waitingItems).toEqual([{ n: 0 }]);
    const events = await outbox();
    expect(events.map((e) => `${e.aggregate_id}:${e.type}`).sort()).toEqual([
      'o1:sales.order-approved',
      'o1:sales.order-completed',
      'o1:sales.order-placed',
      'o1:sales.payment-received',
      'o2:sales.order-cancelled',
      'o2:sales.payment-received',
      'o3:sales.order-approved',
      'o3:sales.order-placed',
      'o3:sales.payment-received',
    ]);
    const placed = events.find((e) => e.aggregate_id === 'o1' && e.type === 'sales.order-placed')!.envelope;
    expect(placed).toMatchObject({ occurredAt: '2017-10-02T10:56:33.000Z', payload: { orderTotal: '48.72', items: [{ itemSeq: 1 }, { itemSeq: 2 }] } });
  });

  it('changes and emits nothing when the same rows are applied again', async () => {
    await apply(feed.orders, feed.items1);
    await apply(feed.items2, feed.payments);
    const before = { state: await state(), outbox: await outbox() };
    const again = await apply(feed.orders, feed.items1, feed.items2, feed.payments);
    expect(again).toMatchObject({ ordersWritten: 0, events: 0, itemsHeld: 0, paymentsHeld: 0 });
    await apply(feed.payments);
    await apply(feed.items1);
    expect({ state: await state(), outbox: await outbox() }).toEqual(before);
  });

  it('ends in the same state when payments, then items, then orders arrive, the early lines waiting for their order', async () => {
    await apply(feed.orders);
    await apply(feed.items1);
    await apply(feed.items2);
    await apply(feed.payments);
    const inOrder = await state();
    const inOrderLatest = latestPayloads(await outbox());

    await pool.query('TRUNCATE sales.orders, sales.order_items, sales.order_payments, sales.outbox');
    await apply(feed.payments);
    await apply(feed.items2);
    await apply(feed.items1);
    const held = await state();
    expect(held.orders).toEqual([]);
    expect([held.waitingItems, held.waitingPayments]).toEqual([[{ n: 3 }], [{ n: 4 }]]);
    expect([held.items.length, held.payments.length]).toEqual([3, 4]);
    expect(await outbox()).toEqual([]);
    await apply(feed.orders);

    expect(await state()).toEqual(inOrder);
    expect(latestPayloads(await outbox())).toEqual(inOrderLatest);
  });

  it('updates a changed row (latest value wins) and emits only what it changes', async () => {
    await apply(feed.orders, feed.items1, feed.items2, feed.payments);
    const count = (await outbox()).length;
    await apply(message('order_payments', 2, [payment('o3', 1, '216.88')]));
    const events = (await outbox()).slice(count);
    expect(events.map((e) => `${e.aggregate_id}:${e.type}`)).toEqual(['o3:sales.payment-received']);
    const [o3] = (await pool.query(`SELECT payment_difference_centavos, issues FROM sales.orders WHERE order_id = 'o3'`)).rows;
    expect(o3.payment_difference_centavos).toBe('1');
    expect(o3.issues.map((i: { code: string }) => i.code)).toEqual(['ORDER.PAYMENT_MISMATCH']);
  });

  it('does not modify a delivered order and records why, and refuses a status going back', async () => {
    await apply(feed.orders, feed.items1, feed.items2, feed.payments);
    const before = await state();
    await apply(message('orders', 2, [order('o1', 'shipped'), order('o3', 'approved')], 10));
    const after = await state();
    expect(after.orders).toEqual(before.orders);
    expect(after.rejections).toEqual([
      { load_id: LOAD, file: 'olist_orders_dataset.csv', line: 10, code: 'ORDER.DELIVERED_IS_FINAL' },
      { load_id: LOAD, file: 'olist_orders_dataset.csv', line: 11, code: 'ORDER.INVALID_TRANSITION' },
    ]);
  });

  it('refuses rows it cannot read, naming file, line and field, without failing the batch', async () => {
    const outcome = await apply(message('order_items', 3, [item('o9', 1, '1,50', '0.00'), item('o9', 2, '1.50', '0.00')]));
    expect(outcome).toMatchObject({ rejected: 1, itemsHeld: 1 });
    const [rejection] = (await pool.query(`SELECT code, message FROM sales.import_rejections`)).rows;
    expect(rejection).toEqual({ code: 'MONEY.NOT_A_NUMBER', message: expect.stringContaining('olist_order_items_dataset.csv line 2: price:') });
  });

  it('applies a large batch (5,000 orders with their items and payments, ten messages per transaction)', async () => {
    const n = 5_000;
    const orders = Array.from({ length: n }, (_, i) => order(`bulk${i}`, 'delivered'));
    const items = Array.from({ length: n }, (_, i) => item(`bulk${i}`, 1, '10.00', '1.00'));
    const payments = Array.from({ length: n }, (_, i) => payment(`bulk${i}`, 1, '11.00'));
    const chunks = <T>(rows: T[]) => Array.from({ length: Math.ceil(rows.length / 500) }, (_, i) => rows.slice(i * 500, i * 500 + 500));
    const messages = [
      ...chunks(payments).map((rows, i) => message('order_payments', 100 + i, rows)),
      ...chunks(items).map((rows, i) => message('order_items', 100 + i, rows)),
      ...chunks(orders).map((rows, i) => message('orders', 100 + i, rows)),
    ];
    for (let i = 0; i < messages.length; i += 10) await apply(...messages.slice(i, i + 10));
    const [{ orders: count, total }] = (await pool.query(`SELECT count(*)::int AS orders, sum(order_total_centavos)::text AS total FROM sales.orders`)).rows;
    expect({ count, total }).toEqual({ count: n, total: String(n * 1100) });
  });

  it('leaves room on the pages of the orders for their later versions', async () => {
    const [{ reloptions }] = (await pool.query(`SELECT reloptions FROM pg_class WHERE oid = 'sales.orders'::regclass`)).rows;
    expect(reloptions).toEqual(['fillfactor=70']);
  });

  it('migrates waiting lines back into the pending area and forth again without losing one', async () => {
    await apply(feed.orders, feed.items1, feed.payments);
    await apply(message('order_items', 5, [item('w1', 1, '5.00', '1.00'), item('w1', 2, '6.00', '1.00')]), message('order_payments', 5, [payment('w1', 1, '13.00')]));
    const before = await state();
    expect([before.waitingItems, before.waitingPayments]).toEqual([[{ n: 2 }], [{ n: 1 }]]);
    const runner = { query: (sql: string) => pool.query(sql) } as unknown as QueryRunner;
    const migration = new SalesWaitingLines1764860000000();

    await migration.down(runner);
    const pending = (await pool.query(`SELECT order_id, item_seq, price_centavos, load_id, line FROM sales.pending_items ORDER BY item_seq`)).rows;
    expect(pending).toEqual([
      { order_id: 'w1', item_seq: 1, price_centavos: '500', load_id: 'unknown', line: 0 },
      { order_id: 'w1', item_seq: 2, price_centavos: '600', load_id: 'unknown', line: 0 },
    ]);
    expect((await pool.query(`SELECT order_id, value_centavos FROM sales.pending_payments`)).rows).toEqual([{ order_id: 'w1', value_centavos: '1300' }]);
    expect((await pool.query(`SELECT DISTINCT order_id FROM sales.order_items ORDER BY 1`)).rows.map((r) => r.order_id)).toEqual(['o1', 'o3']);
    await expect(pool.query(`INSERT INTO sales.order_items VALUES ('nope', 1, 'p', 's', now(), 1, 1)`)).rejects.toThrow(/foreign key/);

    await migration.up(runner);
    expect(await state()).toEqual(before);
  });
});

/** The last payload of each event type per order: what a reader ends up knowing. */
function latestPayloads(rows: { type: string; aggregate_id: string; envelope: { payload: unknown } }[]): Record<string, unknown> {
  const latest: Record<string, unknown> = {};
  for (const row of rows) latest[`${row.aggregate_id}:${row.type}`] = row.envelope.payload;
  return latest;
}
