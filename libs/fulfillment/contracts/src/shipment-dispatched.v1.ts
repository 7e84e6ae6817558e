import { DATE_TIME, DISTANCE_KM, ID, JSON_SCHEMA_DIALECT } from './schema-fragments';
import { FULFILLMENT_SUBJECTS } from './subjects';

export interface ShipmentDispatchedV1 {
  orderId: string;
  sellerIds: string[];
  carrierPickupAt: string;
  estimatedDeliveryAt: string;
  distanceKm: number | null;
  /** Codes of source-data anomalies accepted with a warning, e.g. CARRIER_PICKUP_BEFORE_PURCHASE. */
  anomalies: string[];
}

const example: ShipmentDispatchedV1 = {
  orderId: 'e481f51cbdc54678b7cc49136f2d6af7',
  sellerIds: ['3504c0cb71d7fa48d967e0e4c94d59d9'],
  carrierPickupAt: '2017-10-04T19:55:00Z',
  estimatedDeliveryAt: '2017-10-18T00:00:00Z',
  distanceKm: 18.06,
  anomalies: [],
};

export const SHIPMENT_DISPATCHED_V1 = {
  context: 'fulfillment',
  name: 'shipment-dispatched',
  type: 'fulfillment.shipment-dispatched',
  version: 1,
  subject: FULFILLMENT_SUBJECTS.SHIPMENT_DISPATCHED_V1,
  compatibility: 'BACKWARD',
  description:
    "An order's shipment was handed to the carrier (business time: order_delivered_carrier_date). " +
    'sellerIds lists the distinct sellers of its items; distanceKm is from the first seller to the customer.',
  schema: {
    $schema: JSON_SCHEMA_DIALECT,
    title: 'fulfillment.shipment-dispatched v1',
    type: 'object',
    additionalProperties: false,
    required: ['orderId', 'sellerIds', 'carrierPickupAt', 'estimatedDeliveryAt', 'distanceKm', 'anomalies'],
    properties: {
      orderId: ID,
      sellerIds: { type: 'array', minItems: 1, items: ID },
      carrierPickupAt: DATE_TIME,
      estimatedDeliveryAt: DATE_TIME,
      distanceKm: DISTANCE_KM,
      anomalies: { type: 'array', items: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' } },
    },
  },
  example,
} as const;
