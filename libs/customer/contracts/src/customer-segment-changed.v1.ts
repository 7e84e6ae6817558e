import { DATE_TIME, ID, JSON_SCHEMA_DIALECT, MONEY } from './schema-fragments';
import { CUSTOMER_SUBJECTS } from './subjects';

export type CustomerSegmentV1 = 'VIP' | 'LOYAL' | 'REGULAR' | 'ONE_TIME' | 'NEW' | 'CHURNED';

export const CUSTOMER_SEGMENTS_V1: readonly CustomerSegmentV1[] = ['VIP', 'LOYAL', 'REGULAR', 'ONE_TIME', 'NEW', 'CHURNED'];

export interface CustomerSegmentChangedV1 {
  customerUniqueId: string;
  /** Null for the first segment a customer gets. */
  from: CustomerSegmentV1 | null;
  to: CustomerSegmentV1;
  /** The reference time of the segmentation (CHURNED is relative to it). */
  asOf: string;
  orders: number;
  /** Total spent over those orders, BRL. */
  monetary: string;
}

const example: CustomerSegmentChangedV1 = {
  customerUniqueId: '7c396fd4830fd04220f754e42b4e5bff',
  from: null,
  to: 'ONE_TIME',
  asOf: '2018-10-17T17:30:18Z',
  orders: 1,
  monetary: '38.71',
};

export const CUSTOMER_SEGMENT_CHANGED_V1 = {
  context: 'customer',
  name: 'customer-segment-changed',
  type: 'customer.customer-segment-changed',
  version: 1,
  subject: CUSTOMER_SUBJECTS.CUSTOMER_SEGMENT_CHANGED_V1,
  compatibility: 'BACKWARD',
  description:
    "A customer's segment, or the orders and monetary value it rests on, changed (business time: asOf; from = to when only the figures changed). CHURNED: more than 180 days since the last order; " +
    'VIP: more than 5 orders and more than R$ 1,000; LOYAL: more than 5 orders; REGULAR: more than 1; ONE_TIME: 1; NEW: 0.',
  schema: {
    $schema: JSON_SCHEMA_DIALECT,
    title: 'customer.customer-segment-changed v1',
    type: 'object',
    additionalProperties: false,
    required: ['customerUniqueId', 'from', 'to', 'asOf', 'orders', 'monetary'],
    properties: {
      customerUniqueId: ID,
      from: { type: ['string', 'null'], enum: [...CUSTOMER_SEGMENTS_V1, null] },
      to: { type: 'string', enum: CUSTOMER_SEGMENTS_V1 },
      asOf: DATE_TIME,
      orders: { type: 'integer', minimum: 0 },
      monetary: MONEY,
    },
  },
  example,
} as const;
