import { messagingMigrations } from '@olist/messaging';
import { MarketplaceSchema1764400000000, MarketplaceToldTranslations1764890000000 } from '@olist/marketplace-infrastructure';

/** Migrations of the marketplace schema, oldest first. */
export const MARKETPLACE_MIGRATIONS = [...messagingMigrations('marketplace'), MarketplaceSchema1764400000000, MarketplaceToldTranslations1764890000000];
