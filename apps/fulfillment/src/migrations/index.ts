import { messagingTablesMigration } from '@olist/messaging';

/** Migrations of the fulfillment schema, oldest first. */
export const FULFILLMENT_MIGRATIONS = [messagingTablesMigration('fulfillment')];
