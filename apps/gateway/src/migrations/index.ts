import { messagingEventBatchesMigration, messagingOutboxCompressionMigration, messagingTablesMigration } from '@olist/messaging';

/** Migrations of the gateway schema, oldest first. */
export const GATEWAY_MIGRATIONS = [messagingTablesMigration('gateway'), messagingEventBatchesMigration('gateway'), messagingOutboxCompressionMigration('gateway')];
