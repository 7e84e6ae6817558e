import { messagingTablesMigration } from '@olist/messaging';

/** Migrations of the customer schema, oldest first. */
export const CUSTOMER_MIGRATIONS = [messagingTablesMigration('customer')];
