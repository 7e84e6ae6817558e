import { type DomainError, type Result, err, ok } from '@olist/shared-kernel';

/** One row of the order_reviews file. */
export interface ReviewInput {
  readonly reviewId: string;
  readonly orderId: string;
  readonly score: string | number;
  readonly title: string | null;
  readonly message: string | null;
  /** `YYYY-MM-DD HH:MM:SS` (UTC) or ISO 8601. */
  readonly createdAt: string;
  readonly answeredAt: string | null;
}

export const ReviewErrorCode = {
  ID_EMPTY: 'REVIEW.ID_EMPTY',
  SCORE_INVALID: 'REVIEW.SCORE_INVALID',
  DATE_INVALID: 'REVIEW.DATE_INVALID',
} as const;

/** What review-submitted says: no texts, only whether there are any. */
export interface ReviewSubmission {
  reviewId: string;
  orderId: string;
  score: number;
  createdAt: string;
  answeredAt: string | null;
  hasComment: boolean;
}

const SOURCE_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.\d+)?Z?$/;

/** Source time (no zone, taken as UTC) to ISO 8601 with `Z`, or null when it is not a time (or not a calendar day). */
export function parseSourceTime(text: string): string | null {
  const match = SOURCE_TIME.exec(text.trim());
  if (!match) return null;
  const date = new Date(`${match[1]}T${match[2]}Z`);
  if (Number.isNaN(date.getTime()) || !date.toISOString().startsWith(match[1])) return null;
  return date.toISOString().replace('.000Z', 'Z');
}

const text = (value: string | null): string | null => (value === null || value.trim() === '' ? null : value);

/**
 * A review of an order: score 1 to 5, optional title and message (personal data), creation and
 * answer times. Its identity is (reviewId, orderId): the source repeats review ids across orders
 * and has several reviews for one order, and both are kept as they are.
 */
export class Review {
  private constructor(
    readonly reviewId: string,
    readonly orderId: string,
    readonly score: number,
    readonly title: string | null,
    readonly message: string | null,
    readonly createdAt: string,
    readonly answeredAt: string | null,
  ) {
    Object.freeze(this);
  }

  static submit(input: ReviewInput): Result<Review, DomainError> {
    const reviewId = input.reviewId.trim();
    const orderId = input.orderId.trim();
    if (reviewId === '' || orderId === '') return err({ code: ReviewErrorCode.ID_EMPTY, message: 'review_id or order_id is empty' });
    const score = typeof input.score === 'number' ? input.score : /^\s*\d+\s*$/.test(input.score) ? Number(input.score) : NaN;
    if (!Number.isInteger(score) || score < 1 || score > 5) {
      return err({ code: ReviewErrorCode.SCORE_INVALID, message: `review ${reviewId}: score ${String(input.score)} is not 1 to 5` });
    }
    const createdAt = parseSourceTime(input.createdAt);
    if (createdAt === null) return err({ code: ReviewErrorCode.DATE_INVALID, message: `review ${reviewId}: no creation date` });
    const answered = text(input.answeredAt);
    const answeredAt = answered === null ? null : parseSourceTime(answered);
    if (answered !== null && answeredAt === null) {
      return err({ code: ReviewErrorCode.DATE_INVALID, message: `review ${reviewId}: answer time is not a time` });
    }
    return ok(new Review(reviewId, orderId, score, text(input.title), text(input.message), createdAt, answeredAt));
  }

  get hasComment(): boolean {
    return this.title !== null || this.message !== null;
  }

  submission(): ReviewSubmission {
    return {
      reviewId: this.reviewId,
      orderId: this.orderId,
      score: this.score,
      createdAt: this.createdAt,
      answeredAt: this.answeredAt,
      hasComment: this.hasComment,
    };
  }
}
