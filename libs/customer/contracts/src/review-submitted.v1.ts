import { DATE_TIME, ID, JSON_SCHEMA_DIALECT, NULLABLE_DATE_TIME } from './schema-fragments';
import { CUSTOMER_SUBJECTS } from './subjects';

export interface ReviewSubmittedV1 {
  reviewId: string;
  orderId: string;
  /** 1 to 5. */
  score: number;
  createdAt: string;
  answeredAt: string | null;
  /** Whether the review has a title or message; the texts themselves are personal data and never travel. */
  hasComment: boolean;
}

const example: ReviewSubmittedV1 = {
  reviewId: 'a54f0611adc9ed256b57ede6b6eb5114',
  orderId: 'e481f51cbdc54678b7cc49136f2d6af7',
  score: 4,
  createdAt: '2017-10-11T00:00:00Z',
  answeredAt: '2017-10-12T03:43:48Z',
  hasComment: true,
};

export const REVIEW_SUBMITTED_V1 = {
  context: 'customer',
  name: 'review-submitted',
  type: 'customer.review-submitted',
  version: 1,
  subject: CUSTOMER_SUBJECTS.REVIEW_SUBMITTED_V1,
  compatibility: 'BACKWARD',
  description:
    'A customer reviewed an order (business time: review_creation_date). Carries the score and whether there is ' +
    'a comment, never the title or message.',
  schema: {
    $schema: JSON_SCHEMA_DIALECT,
    title: 'customer.review-submitted v1',
    type: 'object',
    additionalProperties: false,
    required: ['reviewId', 'orderId', 'score', 'createdAt', 'answeredAt', 'hasComment'],
    properties: {
      reviewId: ID,
      orderId: ID,
      score: { type: 'integer', minimum: 1, maximum: 5 },
      createdAt: DATE_TIME,
      answeredAt: NULLABLE_DATE_TIME,
      hasComment: { type: 'boolean', description: 'the review has a title or a message' },
    },
  },
  example,
} as const;
