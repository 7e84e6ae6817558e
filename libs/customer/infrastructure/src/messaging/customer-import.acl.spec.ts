import { randomBytes } from 'node:crypto';
import { PiiCipher, parsePiiKeys } from '@olist/pii';
import { IMPORT_PERSONAL_COLUMNS, IMPORT_SUBJECTS, type ImportCustomersV1, type ImportOrderReviewsV1 } from '@olist/quality-contracts';
import { FEED_VALUE_UNREADABLE, translateCustomerImportBatch as translate } from './customer-import.acl';

const LOADED_AT = '2024-05-01T08:00:00Z';
const feed = new PiiCipher(parsePiiKeys(`feed-1:${randomBytes(32).toString('base64')}`, 'OLIST_FEED_KEYS'));
const PERSONAL: readonly string[] = [...IMPORT_PERSONAL_COLUMNS.customers, ...IMPORT_PERSONAL_COLUMNS.order_reviews];
const seal = (values: Record<string, string | null>) =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, PERSONAL.includes(k) && v !== null ? feed.seal(v, k) : v]));
/** A batch as the quality relay publishes it: the personal columns sealed. */
const batch = <T>(file: string, rows: Record<string, string | null>[], sealed = true) =>
  ({ loadId: 'l1', file, batch: 1, rows: rows.map((values, i) => ({ line: 2 + i, values: sealed ? seal(values) : values })) }) as unknown as T;
const translateCustomerImportBatch = (subject: string, b: ImportCustomersV1 | ImportOrderReviewsV1, loadedAt: string) => translate(subject, b, loadedAt, feed);

describe('customer import ACL', () => {
  it('turns customer rows into accounts and refuses unreadable ones without quoting personal values', () => {
    const { commands, refusals } = translateCustomerImportBatch(
      IMPORT_SUBJECTS.customers,
      batch<ImportCustomersV1>('olist_customers_dataset.csv', [
        { customer_id: 'c1', customer_unique_id: 'u1', customer_zip_code_prefix: '1151', customer_city: ' sao paulo ', customer_state: 'SP' },
        { customer_id: 'c2', customer_unique_id: 'u2', customer_zip_code_prefix: '7', customer_city: 'cidade secreta', customer_state: 'SP' },
      ]),
      LOADED_AT,
    );
    expect(commands).toEqual([
      { kind: 'register-account', uniqueId: 'u1', account: { customerId: 'c1', address: { zipPrefix: '01151', city: 'sao paulo', state: 'SP' } }, source: { loadId: 'l1', file: 'olist_customers_dataset.csv', line: 2 }, loadedAt: LOADED_AT },
    ]);
    expect(refusals.map((r) => [r.entityId, r.code, r.source.line])).toEqual([['c2', 'ADDRESS.ZIP_TOO_SHORT', 3]]);
    expect(refusals[0].message).not.toMatch(/secreta|"7"/);
  });

  it('turns review rows into reviews, empty texts into null', () => {
    const { commands, refusals } = translateCustomerImportBatch(
      IMPORT_SUBJECTS.order_reviews,
      batch<ImportOrderReviewsV1>('olist_order_reviews_dataset.csv', [
        { review_id: 'r1', order_id: 'o1', review_score: '4', review_comment_title: '', review_comment_message: 'ok', review_creation_date: '2018-01-18 00:00:00', review_answer_timestamp: '2018-01-19 10:00:00' },
        { review_id: 'r2', order_id: 'o1', review_score: '0', review_comment_title: null, review_comment_message: null, review_creation_date: '2018-01-18 00:00:00', review_answer_timestamp: null },
      ]),
      LOADED_AT,
    );
    expect(commands).toHaveLength(1);
    expect(commands[0].kind === 'submit-review' && commands[0].review.submission()).toEqual({
      reviewId: 'r1',
      orderId: 'o1',
      score: 4,
      createdAt: '2018-01-18T00:00:00Z',
      answeredAt: '2018-01-19T10:00:00Z',
      hasComment: true,
    });
    expect(refusals.map((r) => `${r.entityId}:${r.code}`)).toEqual(['r2:o1:REVIEW.SCORE_INVALID']);
  });

  it('ignores other subjects', () => {
    expect(translateCustomerImportBatch(IMPORT_SUBJECTS.products, batch('x', [{ product_id: 'p1' }]), LOADED_AT)).toEqual({ commands: [], refusals: [] });
  });

  it('refuses, with a reason naming the column and no value, rows whose personal values are in clear, under an unknown key or tampered', () => {
    const other = new PiiCipher(parsePiiKeys(`feed-9:${randomBytes(32).toString('base64')}`, 'OLIST_FEED_KEYS'));
    const row = { customer_id: 'c1', customer_unique_id: 'u1', customer_zip_code_prefix: '14409', customer_city: 'cidade secreta', customer_state: 'SP' };
    const inClear = batch<ImportCustomersV1>('olist_customers_dataset.csv', [row], false);
    const foreign = batch<ImportCustomersV1>('olist_customers_dataset.csv', [
      { ...row, customer_zip_code_prefix: other.seal('14409', 'customer_zip_code_prefix'), customer_city: other.seal('cidade secreta', 'customer_city') },
    ], false);
    const swapped = batch<ImportCustomersV1>('olist_customers_dataset.csv', [
      { ...row, customer_zip_code_prefix: feed.seal('14409', 'customer_zip_code_prefix'), customer_city: feed.seal('cidade secreta', 'customer_zip_code_prefix') },
    ], false);
    const outcomes = [inClear, foreign, swapped].map((b) => translateCustomerImportBatch(IMPORT_SUBJECTS.customers, b, LOADED_AT));
    for (const { commands } of outcomes) expect(commands).toEqual([]);
    expect(outcomes.map(({ refusals }) => refusals.map((r) => [r.entityId, r.code]))).toEqual([
      [['c1', FEED_VALUE_UNREADABLE]],
      [['c1', FEED_VALUE_UNREADABLE]],
      [['c1', FEED_VALUE_UNREADABLE]],
    ]);
    expect(outcomes.map(({ refusals }) => refusals[0]!.message)).toEqual([
      'olist_customers_dataset.csv line 2: refused (customer_zip_code_prefix cannot be unsealed (PII.MALFORMED: not a sealed value))',
      'olist_customers_dataset.csv line 2: refused (customer_zip_code_prefix cannot be unsealed (PII.UNKNOWN_KEY: no key with id feed-9 is configured))',
      'olist_customers_dataset.csv line 2: refused (customer_city cannot be unsealed (PII.TAMPERED: a value under key feed-1 failed authentication))',
    ]);
    const review = batch<ImportOrderReviewsV1>('olist_order_reviews_dataset.csv', [
      { review_id: 'r1', order_id: 'o1', review_score: '4', review_comment_title: null, review_comment_message: 'uma mensagem secreta', review_creation_date: '2018-01-18 00:00:00', review_answer_timestamp: null },
    ], false);
    const refused = translateCustomerImportBatch(IMPORT_SUBJECTS.order_reviews, review, LOADED_AT).refusals;
    expect(refused.map((r) => [r.entityId, r.code])).toEqual([['r1:o1', FEED_VALUE_UNREADABLE]]);
    expect(JSON.stringify(refused)).not.toMatch(/secret|14409/);
  });
});
