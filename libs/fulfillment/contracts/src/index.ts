import { DELIVERY_COMPLETED_V1 } from './delivery-completed.v1';
import { DELIVERY_DELAYED_V1 } from './delivery-delayed.v1';
import { SHIPMENT_DISPATCHED_V1 } from './shipment-dispatched.v1';
import { SHIPMENT_DISTANCE_CHANGED_V1 } from './shipment-distance-changed.v1';

export { BRAZILIAN_STATES_V1, type BrazilianStateV1 } from './schema-fragments';
export * from './subjects';
export * from './shipment-dispatched.v1';
export * from './delivery-completed.v1';
export * from './delivery-delayed.v1';
export * from './shipment-distance-changed.v1';

/** Every fulfillment contract version, in catalog order. */
export const FULFILLMENT_CONTRACTS = [SHIPMENT_DISPATCHED_V1, DELIVERY_COMPLETED_V1, DELIVERY_DELAYED_V1, SHIPMENT_DISTANCE_CHANGED_V1] as const;
