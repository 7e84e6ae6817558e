import { messagingTablesMigration } from '@olist/messaging';

/** Migrations of the core schema, oldest first. */
export const WAREHOUSE_MIGRATIONS = [messagingTablesMigration('core')];
