import { messagingTablesMigration } from '@olist/messaging';

/** Migrations of the quality schema, oldest first. */
export const QUALITY_MIGRATIONS = [messagingTablesMigration('quality')];
