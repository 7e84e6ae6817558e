import { messagingTablesMigration } from '@olist/messaging';

/** Migrations of the sales schema, oldest first. */
export const SALES_MIGRATIONS = [messagingTablesMigration('sales')];
