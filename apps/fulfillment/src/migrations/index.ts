import { FulfillmentSchema1764500000000, FulfillmentSealedCustomerZips1764700000000, FulfillmentStalePrefixes1764800000000, FulfillmentUnsettledOrders1764810000000, FulfillmentUpdateRoom1764830000000, FulfillmentGeolocationLog1764850000000, FulfillmentGeolocationByteOrder1764870000000, FulfillmentAnnouncedDistance1764880000000 } from '@olist/fulfillment-infrastructure';
import { messagingMigrations } from '@olist/messaging';

/** Migrations of the fulfillment schema, oldest first. */
export const FULFILLMENT_MIGRATIONS = [...messagingMigrations('fulfillment'), FulfillmentSchema1764500000000, FulfillmentSealedCustomerZips1764700000000, FulfillmentStalePrefixes1764800000000, FulfillmentUnsettledOrders1764810000000, FulfillmentUpdateRoom1764830000000, FulfillmentGeolocationLog1764850000000, FulfillmentGeolocationByteOrder1764870000000, FulfillmentAnnouncedDistance1764880000000];
