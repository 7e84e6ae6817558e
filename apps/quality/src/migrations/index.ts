import { messagingMigrations } from '@olist/messaging';
import { QualitySchema1764200000000 } from '@olist/quality-infrastructure';

/** Migrations of the quality schema, oldest first. */
export const QUALITY_MIGRATIONS = [...messagingMigrations('quality'), QualitySchema1764200000000];
