import { DISTANCE_KM, ID, JSON_SCHEMA_DIALECT } from './schema-fragments';
import { FULFILLMENT_SUBJECTS } from './subjects';

export interface ShipmentDistanceChangedV1 {
  orderId: string;
  distanceKm: number | null;
}

const example: ShipmentDistanceChangedV1 = {
  orderId: 'e481f51cbdc54678b7cc49136f2d6af7',
  distanceKm: 18.06,
};

export const SHIPMENT_DISTANCE_CHANGED_V1 = {
  context: 'fulfillment',
  name: 'shipment-distance-changed',
  type: 'fulfillment.shipment-distance-changed',
  version: 1,
  subject: FULFILLMENT_SUBJECTS.SHIPMENT_DISTANCE_CHANGED_V1,
  compatibility: 'BACKWARD',
  description:
    'The seller → customer distance of a shipment changed after a shipment-dispatched or delivery-completed event ' +
    'of it was published with another one: a zip-prefix centroid it depends on arrived or moved, or the customer or ' +
    "the first seller moved to another zip prefix. Also written once for a shipment published before fulfillment " +
    "recorded the distance its events conveyed. distanceKm replaces the distance of the shipment's earlier events " +
    '(business time: the purchase).',
  schema: {
    $schema: JSON_SCHEMA_DIALECT,
    title: 'fulfillment.shipment-distance-changed v1',
    type: 'object',
    additionalProperties: false,
    required: ['orderId', 'distanceKm'],
    properties: {
      orderId: ID,
      distanceKm: DISTANCE_KM,
    },
  },
  example,
} as const;
