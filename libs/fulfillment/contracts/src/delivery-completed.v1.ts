import { DATE_TIME, DISTANCE_KM, ID, JSON_SCHEMA_DIALECT, STATE, type BrazilianStateV1 } from './schema-fragments';
import { FULFILLMENT_SUBJECTS } from './subjects';

export interface DeliveryCompletedV1 {
  orderId: string;
  customerState: BrazilianStateV1;
  deliveredAt: string;
  estimatedDeliveryAt: string;
  /** Calendar days delivered minus estimated: negative when early, 0 on the day. */
  delayDays: number;
  /** True when the delivered calendar day is after the estimated one (delayDays > 0). */
  late: boolean;
  /** Days from purchase to delivery. */
  deliveryDays: number;
  distanceKm: number | null;
}

const example: DeliveryCompletedV1 = {
  orderId: 'e481f51cbdc54678b7cc49136f2d6af7',
  customerState: 'SP',
  deliveredAt: '2017-10-10T21:25:13Z',
  estimatedDeliveryAt: '2017-10-18T00:00:00Z',
  delayDays: -8,
  late: false,
  deliveryDays: 8.44,
  distanceKm: 18.06,
};

export const DELIVERY_COMPLETED_V1 = {
  context: 'fulfillment',
  name: 'delivery-completed',
  type: 'fulfillment.delivery-completed',
  version: 1,
  subject: FULFILLMENT_SUBJECTS.DELIVERY_COMPLETED_V1,
  compatibility: 'BACKWARD',
  description:
    'A shipment reached its customer (business time: order_delivered_customer_date), with the delivery SLA: ' +
    'delayDays = delivered − estimated in calendar days, late when the delivered day is after the estimated one.',
  schema: {
    $schema: JSON_SCHEMA_DIALECT,
    title: 'fulfillment.delivery-completed v1',
    type: 'object',
    additionalProperties: false,
    required: ['orderId', 'customerState', 'deliveredAt', 'estimatedDeliveryAt', 'delayDays', 'late', 'deliveryDays', 'distanceKm'],
    properties: {
      orderId: ID,
      customerState: STATE,
      deliveredAt: DATE_TIME,
      estimatedDeliveryAt: DATE_TIME,
      delayDays: { type: 'integer', description: 'calendar days delivered minus estimated; negative when early' },
      late: { type: 'boolean' },
      deliveryDays: { type: 'number', description: 'days from purchase to delivery' },
      distanceKm: DISTANCE_KM,
    },
  },
  example,
} as const;
