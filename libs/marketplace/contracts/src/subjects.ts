/** Every marketplace subject; the stream OLIST_MARKETPLACE captures them all. */
export const MARKETPLACE_STREAM_SUBJECTS = 'olist.marketplace.>';

export const MARKETPLACE_SUBJECTS = {
  PRODUCT_LISTED_V1: 'olist.marketplace.product-listed.v1',
  PRODUCT_RECATEGORIZED_V1: 'olist.marketplace.product-recategorized.v1',
  SELLER_REGISTERED_V1: 'olist.marketplace.seller-registered.v1',
  CATEGORY_TRANSLATED_V1: 'olist.marketplace.category-translated.v1',
} as const;

export type MarketplaceSubject = (typeof MARKETPLACE_SUBJECTS)[keyof typeof MARKETPLACE_SUBJECTS];
