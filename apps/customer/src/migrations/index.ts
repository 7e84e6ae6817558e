import { CustomerSchema1764500000000, CustomerSegments1764600000000 } from '@olist/customer-infrastructure';
import { messagingMigrations } from '@olist/messaging';

/** Migrations of the customer schema, oldest first. */
export const CUSTOMER_MIGRATIONS = [...messagingMigrations('customer'), CustomerSchema1764500000000, CustomerSegments1764600000000];
