import { DATE_TIME, ID, JSON_SCHEMA_DIALECT, NULLABLE_DATE_TIME, STATE, type BrazilianStateV1 } from './schema-fragments';
import { FULFILLMENT_SUBJECTS } from './subjects';

export interface DeliveryDelayedV1 {
  orderId: string;
  customerState: BrazilianStateV1;
  estimatedDeliveryAt: string;
  /** Null while the shipment is still on its way. */
  deliveredAt: string | null;
  /** Calendar days past the estimated day: to delivery, or to the as-of day while undelivered. */
  delayDays: number;
}

const example: DeliveryDelayedV1 = {
  orderId: '203096f03d82e0dffbc41ebc2e2bcfb7',
  customerState: 'RJ',
  estimatedDeliveryAt: '2017-09-28T00:00:00Z',
  deliveredAt: '2017-10-09T22:23:46Z',
  delayDays: 11,
};

export const DELIVERY_DELAYED_V1 = {
  context: 'fulfillment',
  name: 'delivery-delayed',
  type: 'fulfillment.delivery-delayed',
  version: 1,
  subject: FULFILLMENT_SUBJECTS.DELIVERY_DELAYED_V1,
  compatibility: 'BACKWARD',
  description:
    'A shipment missed its estimated delivery day: delivered late (deliveredAt set; business time: the delivery) ' +
    'or still undelivered after the estimated day (deliveredAt null; business time: the as-of day).',
  schema: {
    $schema: JSON_SCHEMA_DIALECT,
    title: 'fulfillment.delivery-delayed v1',
    type: 'object',
    additionalProperties: false,
    required: ['orderId', 'customerState', 'estimatedDeliveryAt', 'deliveredAt', 'delayDays'],
    properties: {
      orderId: ID,
      customerState: STATE,
      estimatedDeliveryAt: DATE_TIME,
      deliveredAt: NULLABLE_DATE_TIME,
      delayDays: { type: 'integer', minimum: 1, description: 'calendar days past the estimated delivery day' },
    },
  },
  example,
} as const;
