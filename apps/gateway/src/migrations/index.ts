import { messagingMigrations } from '@olist/messaging';

/** Migrations of the gateway schema, oldest first. */
export const GATEWAY_MIGRATIONS = [...messagingMigrations('gateway')];
