import { IMPORT_SUBJECTS, type ImportCustomersV1, type ImportOrderReviewsV1 } from '@olist/quality-contracts';
import { translateCustomerImportBatch } from './customer-import.acl';

const LOADED_AT = '2024-05-01T08:00:00Z';
const batch = <T>(file: string, rows: Record<string, string | null>[]) =>
  ({ loadId: 'l1', file, batch: 1, rows: rows.map((values, i) => ({ line: 2 + i, values })) }) as unknown as T;

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
});
