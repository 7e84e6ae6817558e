import { randomBytes } from 'node:crypto';
import { PiiCipher, parsePiiKeys } from '@olist/pii';
import { IMPORT_SUBJECTS } from '@olist/quality-contracts';
import { rawFeedSealing } from './raw-feed.sealing';

const cipher = new PiiCipher(parsePiiKeys(`feed-1:${randomBytes(32).toString('base64')}`, 'OLIST_FEED_KEYS'));
const envelope = (rows: Record<string, string | null>[]) =>
  JSON.stringify({ id: 'e1', type: 'import.customers', payload: { loadId: 'l1', file: 'f.csv', batch: 1, rows: rows.map((values, i) => ({ line: i + 2, values })) } });

describe('raw-feed sealing', () => {
  const transforms = rawFeedSealing(cipher);

  it('applies to the customers and order reviews feeds only', () => {
    expect([...transforms.keys()].sort()).toEqual([IMPORT_SUBJECTS.customers, IMPORT_SUBJECTS.order_reviews].sort());
  });

  it('seals the personal columns of every row, keeps nulls and every other column as they are', () => {
    const seal = transforms.get(IMPORT_SUBJECTS.customers)!;
    const out = JSON.parse(
      seal(
        envelope([
          { customer_id: 'c1', customer_unique_id: 'u1', customer_zip_code_prefix: '14409', customer_city: 'franca', customer_state: 'SP' },
          { customer_id: 'c2', customer_unique_id: 'u2', customer_zip_code_prefix: null, customer_city: 'sao jose dos campos', customer_state: 'SP' },
        ]),
      ),
    );
    const [a, b] = out.payload.rows.map((r: { values: Record<string, string | null> }) => r.values);
    expect(a).toMatchObject({ customer_id: 'c1', customer_unique_id: 'u1', customer_state: 'SP' });
    expect(cipher.unseal(a.customer_zip_code_prefix, 'customer_zip_code_prefix')).toBe('14409');
    expect(cipher.unseal(a.customer_city, 'customer_city')).toBe('franca');
    expect(b.customer_zip_code_prefix).toBeNull();
    expect(JSON.stringify(out)).not.toMatch(/14409|franca|sao jose/);
    expect(out).toMatchObject({ id: 'e1', type: 'import.customers', payload: { loadId: 'l1', batch: 1 } });

    const reviews = transforms.get(IMPORT_SUBJECTS.order_reviews)!;
    const review = JSON.parse(reviews(envelope([{ review_id: 'r1', review_comment_title: 'otimo', review_comment_message: 'Chegou antes do prazo' }])));
    expect(JSON.stringify(review)).not.toMatch(/otimo|Chegou/);
    expect(cipher.unseal(review.payload.rows[0].values.review_comment_message, 'review_comment_message')).toBe('Chegou antes do prazo');
  });

  it('throws on an envelope it cannot read, so the relay holds the row back', () => {
    const seal = transforms.get(IMPORT_SUBJECTS.customers)!;
    expect(() => seal('{"payload":')).toThrow();
    expect(() => seal('{"payload":{}}')).toThrow('raw-feed envelope without rows');
  });
});
