import { messagingEventBatchesMigration, messagingOutboxCompressionMigration, messagingTablesMigration } from '@olist/messaging';
import { SalesSchema1764300000000 } from '@olist/sales-infrastructure';

/** Migrations of the sales schema, oldest first. */
export const SALES_MIGRATIONS = [messagingTablesMigration('sales'), messagingEventBatchesMigration('sales'), messagingOutboxCompressionMigration('sales'), SalesSchema1764300000000];
