import { Segment } from '@olist/customer-domain';
import type { PiiCipher } from '../crypto/pii-cipher';
import { piiContext } from '../messaging/customer-import.handler';

/** Anything that runs SQL: a DataSource, a transaction. */
export interface SqlRunner {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
}

export interface CustomerAccountView {
  customerId: string;
  state: string;
  /** Present only when personal data was asked for. */
  zipPrefix?: string;
  city?: string;
}

/** A person's metrics and segment as of the last recomputation (no personal data). */
export interface CustomerSegmentView {
  segment: string;
  orders: number;
  /** Decimal BRL. */
  monetary: string;
  lastOrderAt: string | null;
  asOf: string;
}

export interface CustomerView {
  customerUniqueId: string;
  /** The state of the lowest customer id. */
  state: string;
  customerIds: string[];
  accounts: CustomerAccountView[];
  /** Null until the person has been segmented. */
  segment: CustomerSegmentView | null;
}

/** GET /segments: persons per segment, every segment present. */
export interface SegmentCountsView {
  /** Null before the first recomputation. */
  asOf: string | null;
  total: number;
  segments: Record<Segment, number>;
}

export interface ReviewView {
  reviewId: string;
  orderId: string;
  score: number;
  createdAt: string;
  answeredAt: string | null;
  hasComment: boolean;
  /** Present only when personal data was asked for. */
  title?: string | null;
  message?: string | null;
}

const ISO = `'YYYY-MM-DD"T"HH24:MI:SS"Z"'`;

/** Reads of the customer model. Personal values are decrypted only when `withPii` is true. */
export class CustomerQueries {
  constructor(
    private readonly db: SqlRunner,
    private readonly cipher: PiiCipher,
  ) {}

  async customer(uniqueId: string, withPii: boolean): Promise<CustomerView | null> {
    const [customer] = await this.db.query<{ customer_unique_id: string; customer_ids: string[]; state: string }>(
      `SELECT customer_unique_id, customer_ids, state FROM customer.customers WHERE customer_unique_id = $1`,
      [uniqueId],
    );
    if (!customer) return null;
    const accounts = await this.db.query<{ customer_id: string; state: string; zip_prefix: Buffer; city: Buffer }>(
      `SELECT customer_id, state, zip_prefix, city FROM customer.customer_ids WHERE customer_unique_id = $1 ORDER BY customer_id COLLATE "C"`,
      [uniqueId],
    );
    const [segment] = await this.db.query<{ segment: string; orders: number; monetary: string; last_order_at: string | null; as_of: string }>(
      `SELECT segment, orders, monetary::text AS monetary,
              to_char(last_order_at AT TIME ZONE 'UTC', ${ISO}) AS last_order_at, to_char(as_of AT TIME ZONE 'UTC', ${ISO}) AS as_of
         FROM customer.segments WHERE customer_unique_id = $1`,
      [uniqueId],
    );
    return {
      customerUniqueId: customer.customer_unique_id,
      state: customer.state,
      customerIds: customer.customer_ids,
      accounts: accounts.map((a) => ({
        customerId: a.customer_id,
        state: a.state,
        ...(withPii
          ? { zipPrefix: this.cipher.decrypt(a.zip_prefix, piiContext.zipPrefix(a.customer_id)), city: this.cipher.decrypt(a.city, piiContext.city(a.customer_id)) }
          : {}),
      })),
      segment: segment
        ? { segment: segment.segment, orders: segment.orders, monetary: segment.monetary, lastOrderAt: segment.last_order_at, asOf: segment.as_of }
        : null,
    };
  }

  /** Persons per segment as of the last recomputation. */
  async segmentCounts(): Promise<SegmentCountsView> {
    const [work] = await this.db.query<{ as_of: string | null }>(
      `SELECT to_char(as_of AT TIME ZONE 'UTC', ${ISO}) AS as_of FROM customer.segment_work`,
    );
    const rows = await this.db.query<{ segment: Segment; n: number }>(`SELECT segment, count(*)::int AS n FROM customer.segments GROUP BY segment`);
    const segments = Object.fromEntries(Object.values(Segment).map((s) => [s, 0])) as Record<Segment, number>;
    for (const r of rows) segments[r.segment] = r.n;
    return { asOf: work?.as_of ?? null, total: rows.reduce((sum, r) => sum + r.n, 0), segments };
  }

  /** The reviews of an order, oldest first. */
  async orderReviews(orderId: string, withPii: boolean): Promise<ReviewView[]> {
    const rows = await this.db.query<{
      review_id: string;
      order_id: string;
      score: number;
      title: Buffer | null;
      message: Buffer | null;
      has_comment: boolean;
      created_at: string;
      answered_at: string | null;
    }>(
      `SELECT review_id, order_id, score, title, message, has_comment,
              to_char(created_at AT TIME ZONE 'UTC', ${ISO}) AS created_at,
              to_char(answered_at AT TIME ZONE 'UTC', ${ISO}) AS answered_at
         FROM customer.reviews WHERE order_id = $1 ORDER BY created_at, review_id`,
      [orderId],
    );
    return rows.map((r) => ({
      reviewId: r.review_id,
      orderId: r.order_id,
      score: r.score,
      createdAt: r.created_at,
      answeredAt: r.answered_at,
      hasComment: r.has_comment,
      ...(withPii
        ? {
            title: this.cipher.decryptNullable(r.title, piiContext.title(r.review_id, r.order_id)),
            message: this.cipher.decryptNullable(r.message, piiContext.message(r.review_id, r.order_id)),
          }
        : {}),
    }));
  }
}
