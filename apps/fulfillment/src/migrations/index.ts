import { FulfillmentSchema1764500000000, FulfillmentSealedCustomerZips1764700000000 } from '@olist/fulfillment-infrastructure';
import { messagingTablesMigration } from '@olist/messaging';

/** Migrations of the fulfillment schema, oldest first. */
export const FULFILLMENT_MIGRATIONS = [messagingTablesMigration('fulfillment'), FulfillmentSchema1764500000000, FulfillmentSealedCustomerZips1764700000000];
