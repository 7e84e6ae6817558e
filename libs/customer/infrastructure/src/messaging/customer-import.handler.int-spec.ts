import { Pool } from 'pg';
import type { QueryRunner } from 'typeorm';
import { CUSTOMER_CONTRACTS } from '@olist/customer-contracts';
import { ContractRegistry, type InboundMessage, messagingEventBatchesMigration, messagingTablesMigration, Outbox, PgTransactor } from '@olist/messaging';
import { FEED_KEY_RING } from '@olist/pii';
import { IMPORT_CONTRACTS, IMPORT_FILE_NAMES, IMPORT_PERSONAL_COLUMNS, IMPORT_SUBJECTS, type ImportFile } from '@olist/quality-contracts';
import { createTestDatabase, type TestDatabase, rawFeedMessage } from '@olist/testing';
import { localOnlyKey, PiiCipher } from '../crypto/pii-cipher';
import { CustomerSchema1764500000000 } from '../persistence/migrations/1764500000000-customer-schema';
import { CustomerSegments1764600000000 } from '../persistence/migrations/1764600000000-customer-segments';
import { CustomerImportHandler, piiContext } from './customer-import.handler';

type Row = Record<string, string | null>;
const LOAD = '5e2f8c1a-7b3d-4e6f-9a0b-1c2d3e4f5a6b';
const CITY = 'sao jose dos campos';
const MESSAGE = 'Recebi o produto antes do prazo, muito bem embalado';

const customer = (customerId: string, uniqueId: string, zip: string, city: string, state = 'SP'): Row => ({
  customer_id: customerId,
  customer_unique_id: uniqueId,
  customer_zip_code_prefix: zip,
  customer_city: city,
  customer_state: state,
});
const review = (reviewId: string, orderId: string, score: string, title: string | null, message: string | null, answered: string | null = '2018-01-19 10:00:00'): Row => ({
  review_id: reviewId,
  order_id: orderId,
  review_score: score,
  review_comment_title: title,
  review_comment_message: message,
  review_creation_date: '2018-01-18 00:00:00',
  review_answer_timestamp: answered,
});

const CUSTOMERS = [customer('c2', 'u1', '12246', CITY), customer('c1', 'u1', '1151', 'sao paulo'), customer('c3', 'u2', '22775', 'rio de janeiro', 'RJ')];
const REVIEWS = [review('r1', 'o1', '5', 'otimo', MESSAGE), review('r1', 'o2', '4', null, null), review('r2', 'o1', '1', null, 'nao chegou')];

const feed = new PiiCipher([FEED_KEY_RING.localOnlyKey()]);
const personal = (file: ImportFile): readonly string[] => (file === 'customers' || file === 'order_reviews' ? IMPORT_PERSONAL_COLUMNS[file] : []);

let sequence = 0;
/** A raw-feed message as the quality relay publishes it: personal columns sealed with the feed key. */
function message(file: ImportFile, batch: number, rows: readonly Row[], firstLine = 2): InboundMessage {
  return rawFeedMessage({
    loadId: LOAD, file, fileName: IMPORT_FILE_NAMES[file], subject: IMPORT_SUBJECTS[file], batch, rows, firstLine, streamSequence: ++sequence,
    sealed: { cipher: feed, columns: personal(file) },
  });
}

describe('CustomerImportHandler against Postgres', () => {
  let db: TestDatabase;
  let pool: Pool;
  let transactor: PgTransactor;
  const cipher = new PiiCipher([localOnlyKey()]);
  const handler = new CustomerImportHandler(new Outbox('customer', new ContractRegistry([...CUSTOMER_CONTRACTS, ...IMPORT_CONTRACTS])), cipher, feed);

  beforeAll(async () => {
    db = await createTestDatabase('customer_import');
    pool = new Pool({ connectionString: db.url, max: 2 });
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
    await pool.query('TRUNCATE customer.customers, customer.customer_ids, customer.reviews, customer.import_exceptions, customer.outbox');
  });

  const apply = (...messages: InboundMessage[]) => transactor.transaction((tx) => handler.handle(messages, tx));
  const outbox = async () => (await pool.query(`SELECT type, aggregate_id, envelope FROM customer.outbox_events ORDER BY position, seq`)).rows;
  async function state() {
    const q = async (sql: string) => (await pool.query(sql)).rows;
    return {
      customers: await q(`SELECT customer_unique_id, customer_ids, state, updated_at FROM customer.customers ORDER BY 1`),
      accounts: await q(`SELECT * FROM customer.customer_ids ORDER BY customer_id`),
      reviews: await q(`SELECT * FROM customer.reviews ORDER BY review_id, order_id`),
    };
  }

  it('stores customers and reviews encrypted and emits events without personal data', async () => {
    const outcome = await apply(message('customers', 1, CUSTOMERS), message('order_reviews', 1, REVIEWS));
    expect(outcome).toMatchObject({ accountsWritten: 3, customersChanged: 2, reviewsWritten: 3, refused: 0, events: 5 });
    const { customers, accounts, reviews } = await state();
    expect(customers.map((c) => [c.customer_unique_id, c.customer_ids, c.state])).toEqual([
      ['u1', ['c1', 'c2'], 'SP'],
      ['u2', ['c3'], 'RJ'],
    ]);
    const c2 = accounts.find((a) => a.customer_id === 'c2');
    expect(cipher.decrypt(c2.city, piiContext.city('c2'))).toBe(CITY);
    expect(cipher.decrypt(accounts.find((a) => a.customer_id === 'c1').zip_prefix, piiContext.zipPrefix('c1'))).toBe('01151');
    const r1 = reviews.find((r) => r.review_id === 'r1' && r.order_id === 'o1');
    expect(cipher.decrypt(r1.message, piiContext.message('r1', 'o1'))).toBe(MESSAGE);
    expect(reviews.map((r) => [r.review_id, r.order_id, r.score, r.has_comment, r.title === null, r.message === null])).toEqual([
      ['r1', 'o1', 5, true, false, false],
      ['r1', 'o2', 4, false, true, true],
      ['r2', 'o1', 1, true, true, false],
    ]);

    const stored = Buffer.concat([...accounts.flatMap((a) => [a.city, a.zip_prefix]), ...reviews.flatMap((r) => [r.title, r.message].filter((b) => b !== null))]);
    for (const plain of [CITY, 'sao paulo', MESSAGE, 'nao chegou', 'otimo']) expect(stored.includes(Buffer.from(plain, 'utf8'))).toBe(false);

    const events = await outbox();
    expect(events.map((e) => `${e.aggregate_id}:${e.type}`).sort()).toEqual([
      'r1:customer.review-submitted',
      'r1:customer.review-submitted',
      'r2:customer.review-submitted',
      'u1:customer.customer-registered',
      'u2:customer.customer-registered',
    ]);
    expect(events.find((e) => e.aggregate_id === 'u1').envelope.payload).toEqual({ customerUniqueId: 'u1', customerIds: ['c1', 'c2'], state: 'SP' });
    expect(events.find((e) => e.aggregate_id === 'r2').envelope).toMatchObject({
      occurredAt: '2018-01-18T00:00:00Z',
      payload: { reviewId: 'r2', orderId: 'o1', score: 1, createdAt: '2018-01-18T00:00:00Z', answeredAt: '2018-01-19T10:00:00Z', hasComment: true },
    });
    const published = JSON.stringify(events.map((e) => e.envelope));
    for (const plain of [CITY, 'sao paulo', '12246', MESSAGE, 'nao chegou', 'otimo']) expect(published).not.toContain(plain);
  });

  it('changes and emits nothing when the same rows are applied again', async () => {
    await apply(message('customers', 1, CUSTOMERS), message('order_reviews', 1, REVIEWS));
    const before = { state: await state(), outbox: await outbox() };
    const again = await apply(message('order_reviews', 1, REVIEWS), message('customers', 1, CUSTOMERS));
    expect(again).toMatchObject({ accountsWritten: 0, customersChanged: 0, reviewsWritten: 0, events: 0 });
    expect({ state: await state(), outbox: await outbox() }).toEqual(before);
  });

  it('emits customer-registered when a person gains a customer id, not when only a personal value changes', async () => {
    await apply(message('customers', 1, CUSTOMERS), message('order_reviews', 1, REVIEWS));
    const count = (await outbox()).length;
    const outcome = await apply(
      message('customers', 2, [customer('c4', 'u2', '22775', 'rio de janeiro', 'RJ'), customer('c2', 'u1', '12246', 'sjc')], 10),
      message('order_reviews', 2, [review('r1', 'o1', '5', 'otimo', 'outro texto'), review('r1', 'o2', '4', null, null, null)], 10),
    );
    expect(outcome).toMatchObject({ accountsWritten: 2, customersChanged: 1, reviewsWritten: 2 });
    const events = (await outbox()).slice(count);
    expect(events.map((e) => `${e.aggregate_id}:${e.type}`)).toEqual(['u2:customer.customer-registered', 'r1:customer.review-submitted']);
    expect(events[0].envelope.payload).toEqual({ customerUniqueId: 'u2', customerIds: ['c3', 'c4'], state: 'RJ' });
    expect(events[1].envelope.payload).toMatchObject({ orderId: 'o2', answeredAt: null });
  });

  it('refuses rows it cannot read without quoting their personal values', async () => {
    const outcome = await apply(
      message('customers', 3, [customer('c9', 'u9', '12', 'cidade secreta'), customer('c8', 'u8', '01151', 'sao paulo', 'XX'), customer('c7', '', '01151', 'sao paulo')]),
      message('order_reviews', 3, [review('r9', 'o9', '6', null, 'texto secreto'), review('', 'o8', '3', null, null)]),
    );
    expect(outcome).toMatchObject({ accountsWritten: 0, reviewsWritten: 0, refused: 5, events: 0 });
    const rows = (await pool.query(`SELECT entity_id, code, line, message FROM customer.import_exceptions ORDER BY file, line`)).rows;
    expect(rows.map((r) => `${r.entity_id}:${r.code}:${r.line}`)).toEqual([
      'c9:ADDRESS.ZIP_TOO_SHORT:2',
      'c8:ADDRESS.UF_UNKNOWN:3',
      'c7:CUSTOMER.ID_EMPTY:4',
      'r9:o9:REVIEW.SCORE_INVALID:2',
      'o8:REVIEW.ID_EMPTY:3',
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/secret|\b12\b/);
  });
});
