import type { SqlTx } from '@olist/messaging';
import type { ImportRefusal } from '../messaging/customer-import.acl';

/** One customer id as written: plain state, encrypted zip prefix and city with their keyed hashes. */
export interface AccountRecord {
  readonly customerId: string;
  readonly uniqueId: string;
  readonly state: string;
  readonly zipPrefix: Buffer;
  readonly zipPrefixHash: Buffer;
  readonly city: Buffer;
  readonly cityHash: Buffer;
}

/** One review as written: texts encrypted with their keyed hashes. */
export interface ReviewRecord {
  readonly reviewId: string;
  readonly orderId: string;
  readonly score: number;
  readonly title: Buffer | null;
  readonly titleHash: Buffer | null;
  readonly message: Buffer | null;
  readonly messageHash: Buffer | null;
  readonly hasComment: boolean;
  readonly createdAt: string;
  readonly answeredAt: string | null;
}

export interface StoredAccount {
  readonly uniqueId: string;
  readonly state: string;
  readonly zipPrefixHash: Buffer;
  readonly cityHash: Buffer;
}

export interface StoredReview {
  readonly score: number;
  readonly titleHash: Buffer | null;
  readonly messageHash: Buffer | null;
  readonly createdAt: string;
  readonly answeredAt: string | null;
}

/** A customer whose ids or state changed: what customer-registered says. */
export interface ChangedCustomer {
  readonly uniqueId: string;
  readonly customerIds: string[];
  readonly state: string;
}

const hex = (b: Buffer | null) => (b === null ? null : b.toString('hex'));
const ISO = `'YYYY-MM-DD"T"HH24:MI:SS"Z"'`;

/** Reads and writes the customer model a whole batch at a time (one select and one upsert per table). */
export class CustomerStore {
  async loadAccounts(tx: SqlTx, customerIds: readonly string[]): Promise<Map<string, StoredAccount>> {
    if (customerIds.length === 0) return new Map();
    const rows = await tx.query<{ customer_id: string; customer_unique_id: string; state: string; zip_prefix_hash: Buffer; city_hash: Buffer }>(
      `SELECT customer_id, customer_unique_id, state, zip_prefix_hash, city_hash FROM customer.customer_ids WHERE customer_id = ANY($1::text[])`,
      [[...customerIds]],
    );
    return new Map(rows.map((r) => [r.customer_id, { uniqueId: r.customer_unique_id, state: r.state, zipPrefixHash: r.zip_prefix_hash, cityHash: r.city_hash }]));
  }

  async saveAccounts(tx: SqlTx, accounts: readonly AccountRecord[]): Promise<void> {
    if (accounts.length === 0) return;
    const records = accounts.map((a) => ({
      customer_id: a.customerId,
      customer_unique_id: a.uniqueId,
      state: a.state,
      zip_prefix: hex(a.zipPrefix),
      zip_prefix_hash: hex(a.zipPrefixHash),
      city: hex(a.city),
      city_hash: hex(a.cityHash),
    }));
    await tx.query(
      `INSERT INTO customer.customer_ids (customer_id, customer_unique_id, state, zip_prefix, zip_prefix_hash, city, city_hash)
       SELECT r.customer_id, r.customer_unique_id, r.state, decode(r.zip_prefix, 'hex'), decode(r.zip_prefix_hash, 'hex'),
              decode(r.city, 'hex'), decode(r.city_hash, 'hex')
         FROM json_to_recordset($1::json) AS r(customer_id text, customer_unique_id text, state text, zip_prefix text,
              zip_prefix_hash text, city text, city_hash text)
       ON CONFLICT (customer_id) DO UPDATE SET customer_unique_id = EXCLUDED.customer_unique_id, state = EXCLUDED.state,
         zip_prefix = EXCLUDED.zip_prefix, zip_prefix_hash = EXCLUDED.zip_prefix_hash, city = EXCLUDED.city,
         city_hash = EXCLUDED.city_hash, updated_at = now()`,
      [JSON.stringify(records)],
    );
  }

  /**
   * Recomputes the customers of `uniqueIds` from their stored customer ids (ids sorted, state of
   * the lowest id) and writes those that are new or changed; returns them.
   */
  async refreshCustomers(tx: SqlTx, uniqueIds: readonly string[]): Promise<ChangedCustomer[]> {
    if (uniqueIds.length === 0) return [];
    const rows = await tx.query<{ customer_unique_id: string; customer_ids: string[]; state: string }>(
      `WITH current AS (
         SELECT customer_unique_id,
                array_agg(customer_id ORDER BY customer_id COLLATE "C") AS customer_ids,
                (array_agg(state ORDER BY customer_id COLLATE "C"))[1] AS state
           FROM customer.customer_ids
          WHERE customer_unique_id = ANY($1::text[])
          GROUP BY customer_unique_id)
       INSERT INTO customer.customers AS c (customer_unique_id, customer_ids, state)
       SELECT customer_unique_id, customer_ids, state FROM current
       ON CONFLICT (customer_unique_id) DO UPDATE SET customer_ids = EXCLUDED.customer_ids, state = EXCLUDED.state, updated_at = now()
       WHERE c.customer_ids IS DISTINCT FROM EXCLUDED.customer_ids OR c.state IS DISTINCT FROM EXCLUDED.state
       RETURNING customer_unique_id, customer_ids, state`,
      [[...uniqueIds]],
    );
    return rows
      .map((r) => ({ uniqueId: r.customer_unique_id, customerIds: r.customer_ids, state: r.state }))
      .sort((a, b) => (a.uniqueId < b.uniqueId ? -1 : a.uniqueId > b.uniqueId ? 1 : 0));
  }

  /** Stored reviews by `reviewId|orderId`. */
  async loadReviews(tx: SqlTx, keys: readonly { reviewId: string; orderId: string }[]): Promise<Map<string, StoredReview>> {
    if (keys.length === 0) return new Map();
    const rows = await tx.query<{
      review_id: string;
      order_id: string;
      score: number;
      title_hash: Buffer | null;
      message_hash: Buffer | null;
      created_at: string;
      answered_at: string | null;
    }>(
      `SELECT r.review_id, r.order_id, r.score, r.title_hash, r.message_hash,
              to_char(r.created_at AT TIME ZONE 'UTC', ${ISO}) AS created_at,
              to_char(r.answered_at AT TIME ZONE 'UTC', ${ISO}) AS answered_at
         FROM customer.reviews r
         JOIN unnest($1::text[], $2::text[]) AS k(review_id, order_id) ON k.review_id = r.review_id AND k.order_id = r.order_id`,
      [keys.map((k) => k.reviewId), keys.map((k) => k.orderId)],
    );
    return new Map(
      rows.map((r) => [
        `${r.review_id}|${r.order_id}`,
        { score: r.score, titleHash: r.title_hash, messageHash: r.message_hash, createdAt: r.created_at, answeredAt: r.answered_at },
      ]),
    );
  }

  async saveReviews(tx: SqlTx, reviews: readonly ReviewRecord[]): Promise<void> {
    if (reviews.length === 0) return;
    const records = reviews.map((r) => ({
      review_id: r.reviewId,
      order_id: r.orderId,
      score: r.score,
      title: hex(r.title),
      title_hash: hex(r.titleHash),
      message: hex(r.message),
      message_hash: hex(r.messageHash),
      has_comment: r.hasComment,
      created_at: r.createdAt,
      answered_at: r.answeredAt,
    }));
    await tx.query(
      `INSERT INTO customer.reviews (review_id, order_id, score, title, title_hash, message, message_hash, has_comment, created_at, answered_at)
       SELECT r.review_id, r.order_id, r.score, decode(r.title, 'hex'), decode(r.title_hash, 'hex'), decode(r.message, 'hex'),
              decode(r.message_hash, 'hex'), r.has_comment, r.created_at, r.answered_at
         FROM json_to_recordset($1::json) AS r(review_id text, order_id text, score smallint, title text, title_hash text, message text,
              message_hash text, has_comment boolean, created_at timestamptz, answered_at timestamptz)
       ON CONFLICT (review_id, order_id) DO UPDATE SET score = EXCLUDED.score, title = EXCLUDED.title, title_hash = EXCLUDED.title_hash,
         message = EXCLUDED.message, message_hash = EXCLUDED.message_hash, has_comment = EXCLUDED.has_comment,
         created_at = EXCLUDED.created_at, answered_at = EXCLUDED.answered_at, updated_at = now()`,
      [JSON.stringify(records)],
    );
  }

  async recordRefusals(tx: SqlTx, refusals: readonly ImportRefusal[]): Promise<void> {
    if (refusals.length === 0) return;
    const records = refusals.map((e) => ({ file: e.source.file, entity_id: e.entityId, code: e.code, message: e.message, load_id: e.source.loadId, line: e.source.line }));
    await tx.query(
      `INSERT INTO customer.import_exceptions (file, entity_id, code, message, load_id, line)
       SELECT * FROM json_to_recordset($1::json) AS r(file text, entity_id text, code text, message text, load_id text, line int)
       ON CONFLICT (file, entity_id, code) DO NOTHING`,
      [JSON.stringify(records)],
    );
  }
}
