import { messagingTablesMigration } from '@olist/messaging';

/** Migrations of the marketplace schema, oldest first. */
export const MARKETPLACE_MIGRATIONS = [messagingTablesMigration('marketplace')];
