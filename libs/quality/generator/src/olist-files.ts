/**
 * The nine files of the data set as the original publication writes them: names, headers
 * (misspellings included), which columns hold text, and the line-ending conventions.
 */
export type ColumnKind = 'text' | 'value';

export interface OlistFileFormat {
  readonly name: string;
  readonly columns: readonly string[];
  /** `text` columns are quoted when they start with a digit or hold a comma, quote or line break; `value` columns never are. */
  readonly kinds: readonly ColumnKind[];
  readonly eol: '\n' | '\r\n';
  readonly bom: boolean;
  readonly quotedHeader: boolean;
  readonly finalNewline: boolean;
}

const T: ColumnKind = 'text';
const V: ColumnKind = 'value';

function file(name: string, columns: readonly (readonly [string, ColumnKind])[], options: Partial<OlistFileFormat> = {}): OlistFileFormat {
  return {
    name,
    columns: columns.map(([c]) => c),
    kinds: columns.map(([, k]) => k),
    eol: '\n',
    bom: false,
    quotedHeader: true,
    finalNewline: true,
    ...options,
  };
}

export const OLIST_FILES = {
  customers: file('olist_customers_dataset.csv', [
    ['customer_id', T],
    ['customer_unique_id', T],
    ['customer_zip_code_prefix', T],
    ['customer_city', T],
    ['customer_state', T],
  ]),
  geolocation: file('olist_geolocation_dataset.csv', [
    ['geolocation_zip_code_prefix', T],
    ['geolocation_lat', V],
    ['geolocation_lng', V],
    ['geolocation_city', T],
    ['geolocation_state', T],
  ]),
  items: file('olist_order_items_dataset.csv', [
    ['order_id', T],
    ['order_item_id', V],
    ['product_id', T],
    ['seller_id', T],
    ['shipping_limit_date', V],
    ['price', V],
    ['freight_value', V],
  ]),
  payments: file('olist_order_payments_dataset.csv', [
    ['order_id', T],
    ['payment_sequential', V],
    ['payment_type', T],
    ['payment_installments', V],
    ['payment_value', V],
  ]),
  reviews: file(
    'olist_order_reviews_dataset.csv',
    [
      ['review_id', T],
      ['order_id', T],
      ['review_score', V],
      ['review_comment_title', T],
      ['review_comment_message', T],
      ['review_creation_date', V],
      ['review_answer_timestamp', V],
    ],
    { eol: '\r\n' },
  ),
  orders: file('olist_orders_dataset.csv', [
    ['order_id', T],
    ['customer_id', T],
    ['order_status', T],
    ['order_purchase_timestamp', V],
    ['order_approved_at', V],
    ['order_delivered_carrier_date', V],
    ['order_delivered_customer_date', V],
    ['order_estimated_delivery_date', V],
  ]),
  products: file('olist_products_dataset.csv', [
    ['product_id', T],
    ['product_category_name', T],
    ['product_name_lenght', V],
    ['product_description_lenght', V],
    ['product_photos_qty', V],
    ['product_weight_g', V],
    ['product_length_cm', V],
    ['product_height_cm', V],
    ['product_width_cm', V],
  ]),
  sellers: file('olist_sellers_dataset.csv', [
    ['seller_id', T],
    ['seller_zip_code_prefix', T],
    ['seller_city', T],
    ['seller_state', T],
  ]),
  translations: file(
    'product_category_name_translation.csv',
    [
      ['product_category_name', T],
      ['product_category_name_english', T],
    ],
    { eol: '\r\n', bom: true, quotedHeader: false, finalNewline: false },
  ),
} as const satisfies Record<string, OlistFileFormat>;

export type OlistTable = keyof typeof OLIST_FILES;

/** The header line exactly as the original file has it (without BOM and line ending). */
export function headerLine(format: OlistFileFormat): string {
  return format.columns.map((c) => (format.quotedHeader ? `"${c}"` : c)).join(',');
}
