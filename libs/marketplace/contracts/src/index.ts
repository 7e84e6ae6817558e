import { PRODUCT_LISTED_V1 } from './product-listed.v1';
import { PRODUCT_RECATEGORIZED_V1 } from './product-recategorized.v1';
import { SELLER_REGISTERED_V1 } from './seller-registered.v1';
import { CATEGORY_TRANSLATED_V1 } from './category-translated.v1';

export { BRAZILIAN_STATES_V1, type BrazilianStateV1 } from './schema-fragments';
export * from './subjects';
export * from './product-listed.v1';
export * from './product-recategorized.v1';
export * from './seller-registered.v1';
export * from './category-translated.v1';

/** Every marketplace contract version, in catalog order. */
export const MARKETPLACE_CONTRACTS = [PRODUCT_LISTED_V1, PRODUCT_RECATEGORIZED_V1, SELLER_REGISTERED_V1, CATEGORY_TRANSLATED_V1] as const;
