import { ID, JSON_SCHEMA_DIALECT, NULLABLE_DATE_TIME } from './schema-fragments';
import { SALES_SUBJECTS } from './subjects';

export type CancellationStatusV1 = 'canceled' | 'unavailable';

export interface OrderCancelledV1 {
  orderId: string;
  status: CancellationStatusV1;
  /** Null when the source data does not say when (Olist has no cancellation timestamp). */
  cancelledAt: string | null;
  reason: string;
}

const example: OrderCancelledV1 = {
  orderId: '1b9ecfe83cdc259250e1a8aca174f0ad',
  status: 'canceled',
  cancelledAt: null,
  reason: 'order_status is canceled in the source data',
};

export const ORDER_CANCELLED_V1 = {
  context: 'sales',
  name: 'order-cancelled',
  type: 'sales.order-cancelled',
  version: 1,
  subject: SALES_SUBJECTS.ORDER_CANCELLED_V1,
  compatibility: 'BACKWARD',
  description:
    'An order ended without delivery: canceled, or unavailable (the product could not be supplied). ' +
    'Business time: the last timestamp the order has.',
  schema: {
    $schema: JSON_SCHEMA_DIALECT,
    title: 'sales.order-cancelled v1',
    type: 'object',
    additionalProperties: false,
    required: ['orderId', 'status', 'cancelledAt', 'reason'],
    properties: {
      orderId: ID,
      status: { type: 'string', enum: ['canceled', 'unavailable'] },
      cancelledAt: NULLABLE_DATE_TIME,
      reason: { type: 'string', minLength: 1 },
    },
  },
  example,
} as const;
