import { IMPORT_CATEGORY_TRANSLATION_V1 } from './category-translation.v1';
import { IMPORT_CUSTOMERS_V1 } from './customers.v1';
import { IMPORT_GEOLOCATION_V1 } from './geolocation.v1';
import { IMPORT_ORDER_ITEMS_V1 } from './order-items.v1';
import { IMPORT_ORDER_PAYMENTS_V1 } from './order-payments.v1';
import { IMPORT_ORDER_REVIEWS_V1 } from './order-reviews.v1';
import { IMPORT_ORDERS_V1 } from './orders.v1';
import { IMPORT_PRODUCTS_V1 } from './products.v1';
import { IMPORT_SELLERS_V1 } from './sellers.v1';

export * from './import-files';
export * from './import-batch';
export * from './customers.v1';
export * from './geolocation.v1';
export * from './order-items.v1';
export * from './order-payments.v1';
export * from './order-reviews.v1';
export * from './orders.v1';
export * from './products.v1';
export * from './sellers.v1';
export * from './category-translation.v1';

/** The raw-feed contract of each file. */
export const IMPORT_CONTRACTS = [
  IMPORT_CUSTOMERS_V1,
  IMPORT_GEOLOCATION_V1,
  IMPORT_ORDER_ITEMS_V1,
  IMPORT_ORDER_PAYMENTS_V1,
  IMPORT_ORDER_REVIEWS_V1,
  IMPORT_ORDERS_V1,
  IMPORT_PRODUCTS_V1,
  IMPORT_SELLERS_V1,
  IMPORT_CATEGORY_TRANSLATION_V1,
] as const;
