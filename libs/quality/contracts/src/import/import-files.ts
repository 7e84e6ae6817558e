/** The nine Olist files of a load, by feed name (the `<file>` of `olist.import.<file>.v1` and `staging.<file>`). */
export const IMPORT_FILES = [
  'customers',
  'geolocation',
  'order_items',
  'order_payments',
  'order_reviews',
  'orders',
  'products',
  'sellers',
  'category_translation',
] as const;

export type ImportFile = (typeof IMPORT_FILES)[number];

/** The CSV file name of each feed, as published in the Olist data set. */
export const IMPORT_FILE_NAMES = {
  customers: 'olist_customers_dataset.csv',
  geolocation: 'olist_geolocation_dataset.csv',
  order_items: 'olist_order_items_dataset.csv',
  order_payments: 'olist_order_payments_dataset.csv',
  order_reviews: 'olist_order_reviews_dataset.csv',
  orders: 'olist_orders_dataset.csv',
  products: 'olist_products_dataset.csv',
  sellers: 'olist_sellers_dataset.csv',
  category_translation: 'product_category_name_translation.csv',
} as const satisfies Record<ImportFile, string>;

export type ImportFileName<F extends ImportFile = ImportFile> = (typeof IMPORT_FILE_NAMES)[F];

/** The header of each file, in file order and with the source's own spelling (`product_name_lenght`). */
export const IMPORT_COLUMNS = {
  customers: ['customer_id', 'customer_unique_id', 'customer_zip_code_prefix', 'customer_city', 'customer_state'],
  geolocation: ['geolocation_zip_code_prefix', 'geolocation_lat', 'geolocation_lng', 'geolocation_city', 'geolocation_state'],
  order_items: ['order_id', 'order_item_id', 'product_id', 'seller_id', 'shipping_limit_date', 'price', 'freight_value'],
  order_payments: ['order_id', 'payment_sequential', 'payment_type', 'payment_installments', 'payment_value'],
  order_reviews: [
    'review_id',
    'order_id',
    'review_score',
    'review_comment_title',
    'review_comment_message',
    'review_creation_date',
    'review_answer_timestamp',
  ],
  orders: [
    'order_id',
    'customer_id',
    'order_status',
    'order_purchase_timestamp',
    'order_approved_at',
    'order_delivered_carrier_date',
    'order_delivered_customer_date',
    'order_estimated_delivery_date',
  ],
  products: [
    'product_id',
    'product_category_name',
    'product_name_lenght',
    'product_description_lenght',
    'product_photos_qty',
    'product_weight_g',
    'product_length_cm',
    'product_height_cm',
    'product_width_cm',
  ],
  sellers: ['seller_id', 'seller_zip_code_prefix', 'seller_city', 'seller_state'],
  category_translation: ['product_category_name', 'product_category_name_english'],
} as const satisfies Record<ImportFile, readonly string[]>;

export type ImportColumn<F extends ImportFile> = (typeof IMPORT_COLUMNS)[F][number];

/**
 * The personal columns of the raw feed. Their values travel sealed (`pii:v2:<keyId>:<base64url>`,
 * XChaCha20-Poly1305 under OLIST_FEED_KEYS, the column name as associated data; `pii:v1:` values,
 * AES-256-GCM, are still read), never in clear; a consumer unseals them with the same keys. Empty
 * cells stay null.
 */
export const IMPORT_PERSONAL_COLUMNS = {
  customers: ['customer_zip_code_prefix', 'customer_city'],
  order_reviews: ['review_comment_title', 'review_comment_message'],
} as const satisfies Partial<{ [F in ImportFile]: readonly ImportColumn<F>[] }>;
