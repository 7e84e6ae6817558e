import { messagingMigrations } from '@olist/messaging';
import { SalesOrderUpdateRoom1764880000000, SalesSchema1764300000000, SalesWaitingLines1764860000000 } from '@olist/sales-infrastructure';

/** Migrations of the sales schema, oldest first. */
export const SALES_MIGRATIONS = [...messagingMigrations('sales'), SalesSchema1764300000000, SalesWaitingLines1764860000000, SalesOrderUpdateRoom1764880000000];
