/**
 * The data quality rules applied to every load of the Olist files.
 *
 * A rule has a stable code (`<TABLE>.<CHECK>`, stored with each verdict and shown in reports),
 * a sentence that says what it checks, a severity and the feed it applies to:
 * - `error`: the row is quarantined and not published on the raw feed;
 * - `warn`: the row is published and counted as a row with a warning.
 *
 * Cross-file rules (foreign keys, orders without items, payment totals, category translations)
 * only run when the load contains the referenced file, so a partial load is not flagged wholesale.
 */

/** The feeds of a load, named like `staging.<feed>` and `olist.import.<feed>.v1`. */
export const QUALITY_FEEDS = [
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

export type QualityFeed = (typeof QUALITY_FEEDS)[number];

export type RuleSeverity = 'error' | 'warn';

export interface RuleDefinition {
  /** Stable identifier, e.g. `ITEMS.FK_ORDER`; never reuse a retired code for another check. */
  readonly code: string;
  readonly description: string;
  readonly severity: RuleSeverity;
  /** The feed whose rows the rule judges. */
  readonly table: QualityFeed;
}

const rule = (table: QualityFeed, code: string, severity: RuleSeverity, description: string): RuleDefinition =>
  Object.freeze({ code, description, severity, table });

const zipRules = (table: QualityFeed, prefix: string, column: string): RuleDefinition[] => [
  rule(
    table,
    `${prefix}.ZIP_INVALID`,
    'error',
    `${column} is empty or is not a zip-code prefix of 4 or 5 digits (a trailing ".0" is tolerated).`,
  ),
  rule(
    table,
    `${prefix}.ZIP_LEADING_ZERO_LOST`,
    'warn',
    `${column} has 4 digits: the leading zero was lost when the file was re-saved; it is read as 0 + the 4 digits.`,
  ),
];

const stateRule = (table: QualityFeed, prefix: string, column: string): RuleDefinition =>
  rule(table, `${prefix}.STATE_UNKNOWN`, 'error', `${column} is empty or is not one of the 27 Brazilian state codes (UF).`);

const cityRule = (table: QualityFeed, prefix: string, column: string): RuleDefinition =>
  rule(
    table,
    `${prefix}.CITY_MALFORMED`,
    'warn',
    `${column} is not a city name: empty, only digits, an e-mail address or just a state code such as "sp / sp".`,
  );

export const RULE_CATALOG: readonly RuleDefinition[] = Object.freeze([
  // orders
  rule('orders', 'ORDERS.PK_MISSING', 'error', 'order_id is empty.'),
  rule('orders', 'ORDERS.PK_DUPLICATE', 'error', 'order_id already appears on an earlier line of the file; the first line is kept.'),
  rule('orders', 'ORDERS.FK_CUSTOMER', 'error', 'customer_id is empty or not present in the customers file of the load.'),
  rule(
    'orders',
    'ORDERS.STATUS_UNKNOWN',
    'error',
    'order_status is not one of created, approved, invoiced, processing, shipped, delivered, canceled, unavailable.',
  ),
  rule(
    'orders',
    'ORDERS.TIMESTAMP_INVALID',
    'error',
    'The purchase timestamp is empty, or a timestamp column is not a valid "YYYY-MM-DD HH:MM:SS" (or "YYYY-MM-DD") time.',
  ),
  rule('orders', 'ORDERS.APPROVED_BEFORE_PURCHASE', 'warn', 'The order was approved before it was purchased.'),
  rule('orders', 'ORDERS.CARRIER_BEFORE_PURCHASE', 'warn', 'The carrier picked the order up before it was purchased.'),
  rule('orders', 'ORDERS.CARRIER_BEFORE_APPROVAL', 'warn', 'The carrier picked the order up before it was approved.'),
  rule('orders', 'ORDERS.DELIVERED_BEFORE_CARRIER', 'warn', 'The customer received the order before the carrier picked it up.'),
  rule('orders', 'ORDERS.DELIVERED_WITHOUT_DATE', 'warn', 'The order status is delivered but the customer delivery date is empty.'),
  rule('orders', 'ORDERS.DELIVERED_WITHOUT_APPROVAL', 'warn', 'The order status is delivered but the approval time is empty.'),
  rule('orders', 'ORDERS.NO_ITEMS', 'warn', 'The order has no row in the order items file of the load.'),
  rule(
    'orders',
    'ORDERS.PAYMENTS_MISMATCH',
    'warn',
    'The payments of the order do not add up to its items (price + freight) to the centavo; only orders with both are compared.',
  ),

  // order_items
  rule('order_items', 'ITEMS.PK_MISSING', 'error', 'order_id or order_item_id is empty.'),
  rule(
    'order_items',
    'ITEMS.PK_DUPLICATE',
    'error',
    'The pair (order_id, order_item_id) already appears on an earlier line of the file; the first line is kept.',
  ),
  rule('order_items', 'ITEMS.ITEM_NUMBER_INVALID', 'error', 'order_item_id is not a positive whole number.'),
  rule('order_items', 'ITEMS.FK_ORDER', 'error', 'order_id is not present in the orders file of the load.'),
  rule('order_items', 'ITEMS.FK_PRODUCT', 'error', 'product_id is empty or not present in the products file of the load.'),
  rule('order_items', 'ITEMS.FK_SELLER', 'error', 'seller_id is empty or not present in the sellers file of the load.'),
  rule('order_items', 'ITEMS.PRICE_INVALID', 'error', 'price is empty or is not a decimal amount with at most two significant decimals.'),
  rule('order_items', 'ITEMS.PRICE_NEGATIVE', 'error', 'price is negative.'),
  rule(
    'order_items',
    'ITEMS.FREIGHT_INVALID',
    'error',
    'freight_value is empty or is not a decimal amount with at most two significant decimals.',
  ),
  rule('order_items', 'ITEMS.FREIGHT_NEGATIVE', 'error', 'freight_value is negative.'),
  rule('order_items', 'ITEMS.SHIPPING_LIMIT_INVALID', 'error', 'shipping_limit_date is empty or is not a valid "YYYY-MM-DD HH:MM:SS" time.'),

  // order_payments
  rule('order_payments', 'PAYMENTS.PK_MISSING', 'error', 'order_id or payment_sequential is empty.'),
  rule(
    'order_payments',
    'PAYMENTS.PK_DUPLICATE',
    'error',
    'The pair (order_id, payment_sequential) already appears on an earlier line of the file; the first line is kept.',
  ),
  rule('order_payments', 'PAYMENTS.SEQUENTIAL_INVALID', 'error', 'payment_sequential is not a positive whole number.'),
  rule('order_payments', 'PAYMENTS.FK_ORDER', 'error', 'order_id is not present in the orders file of the load.'),
  rule(
    'order_payments',
    'PAYMENTS.TYPE_UNKNOWN',
    'error',
    'payment_type is empty or not one of credit_card, boleto, voucher, debit_card, not_defined.',
  ),
  rule('order_payments', 'PAYMENTS.TYPE_NOT_DEFINED', 'warn', 'payment_type is not_defined: the payment method is unknown.'),
  rule('order_payments', 'PAYMENTS.INSTALLMENTS_ZERO', 'warn', 'payment_installments is 0; at least one installment is expected.'),
  rule(
    'order_payments',
    'PAYMENTS.INSTALLMENTS_INVALID',
    'error',
    'payment_installments is empty, negative or not a whole number.',
  ),
  rule(
    'order_payments',
    'PAYMENTS.VALUE_INVALID',
    'error',
    'payment_value is empty or is not a decimal amount with at most two significant decimals.',
  ),
  rule('order_payments', 'PAYMENTS.VALUE_NEGATIVE', 'error', 'payment_value is negative.'),

  // order_reviews
  rule('order_reviews', 'REVIEWS.PK_MISSING', 'error', 'review_id is empty.'),
  rule(
    'order_reviews',
    'REVIEWS.PK_DUPLICATE',
    'warn',
    'review_id already appears on an earlier line (the source reuses a review for several orders); the row is still published.',
  ),
  rule('order_reviews', 'REVIEWS.FK_ORDER', 'error', 'order_id is empty or not present in the orders file of the load.'),
  rule('order_reviews', 'REVIEWS.SCORE_INVALID', 'error', 'review_score is not a whole number from 1 to 5.'),
  rule(
    'order_reviews',
    'REVIEWS.TIMESTAMP_INVALID',
    'error',
    'review_creation_date is empty, or a review timestamp is not a valid "YYYY-MM-DD HH:MM:SS" (or "YYYY-MM-DD") time.',
  ),

  // customers
  rule('customers', 'CUSTOMERS.PK_MISSING', 'error', 'customer_id is empty.'),
  rule('customers', 'CUSTOMERS.PK_DUPLICATE', 'error', 'customer_id already appears on an earlier line of the file; the first line is kept.'),
  rule('customers', 'CUSTOMERS.UNIQUE_ID_MISSING', 'error', 'customer_unique_id is empty, so the person behind the customer id is unknown.'),
  ...zipRules('customers', 'CUSTOMERS', 'customer_zip_code_prefix'),
  stateRule('customers', 'CUSTOMERS', 'customer_state'),
  cityRule('customers', 'CUSTOMERS', 'customer_city'),

  // sellers
  rule('sellers', 'SELLERS.PK_MISSING', 'error', 'seller_id is empty.'),
  rule('sellers', 'SELLERS.PK_DUPLICATE', 'error', 'seller_id already appears on an earlier line of the file; the first line is kept.'),
  ...zipRules('sellers', 'SELLERS', 'seller_zip_code_prefix'),
  stateRule('sellers', 'SELLERS', 'seller_state'),
  cityRule('sellers', 'SELLERS', 'seller_city'),

  // products
  rule('products', 'PRODUCTS.PK_MISSING', 'error', 'product_id is empty.'),
  rule('products', 'PRODUCTS.PK_DUPLICATE', 'error', 'product_id already appears on an earlier line of the file; the first line is kept.'),
  rule('products', 'PRODUCTS.CATEGORY_MISSING', 'warn', 'product_category_name is empty.'),
  rule(
    'products',
    'PRODUCTS.CATEGORY_UNTRANSLATED',
    'warn',
    'product_category_name has no English name in the category translation file of the load.',
  ),
  rule(
    'products',
    'PRODUCTS.NUMBER_INVALID',
    'error',
    'A numeric column is not a plain decimal number such as 400 or 400.0, or a length or photo count is not a non-negative whole number.',
  ),
  rule('products', 'PRODUCTS.MEASURES_MISSING', 'warn', 'The weight or a dimension (length, height, width) is empty, zero or negative.'),

  // geolocation
  ...zipRules('geolocation', 'GEO', 'geolocation_zip_code_prefix'),
  stateRule('geolocation', 'GEO', 'geolocation_state'),
  rule('geolocation', 'GEO.COORDINATES_INVALID', 'error', 'geolocation_lat or geolocation_lng is empty or not a finite number.'),
  rule(
    'geolocation',
    'GEO.OUTSIDE_BRAZIL',
    'error',
    "The point lies outside Brazil's bounding box (latitude -33.75 to 5.27, longitude -73.99 to -34.79).",
  ),
  rule(
    'geolocation',
    'GEO.DUPLICATE_ROW',
    'warn',
    'The row is identical to an earlier line in every column; the feed publishes the first copy only.',
  ),

  // category_translation
  rule('category_translation', 'TRANSLATION.PK_MISSING', 'error', 'product_category_name is empty.'),
  rule(
    'category_translation',
    'TRANSLATION.PK_DUPLICATE',
    'error',
    'product_category_name already appears on an earlier line of the file; the first line is kept.',
  ),
  rule('category_translation', 'TRANSLATION.ENGLISH_MISSING', 'warn', 'product_category_name_english is empty.'),
]);

const BY_CODE: ReadonlyMap<string, RuleDefinition> = new Map(RULE_CATALOG.map((r) => [r.code, r]));

/** The rule with this code; throws for an unknown code (a programming fault). */
export function ruleByCode(code: string): RuleDefinition {
  const found = BY_CODE.get(code);
  if (!found) throw new RangeError(`unknown quality rule code "${code}"`);
  return found;
}

/**
 * Quality score of one file, from 0 to 100:
 *
 *     score = 100 × (records − quarantined − 0.1 × warnings) / records
 *
 * rounded half-up to 2 decimals; an empty file scores 100. `quarantined` counts rows with at least
 * one error verdict, `warnings` rows with warnings and no error, so the two never overlap: a row
 * with a warning costs a tenth of a quarantined row.
 *
 * @throws RangeError when a count is not a non-negative integer or quarantined + warnings > records.
 */
export function fileScore(records: number, quarantined: number, warnings: number): number {
  for (const [name, value] of [
    ['records', records],
    ['quarantined', quarantined],
    ['warnings', warnings],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError(`fileScore: ${name} must be a non-negative integer, got ${String(value)}`);
    }
  }
  if (quarantined + warnings > records) {
    throw new RangeError(
      `fileScore: quarantined (${quarantined}) + warnings (${warnings}) exceed the ${records} records of the file`,
    );
  }
  if (records === 0) return 100;
  // Exact in tenths of a row: integer numerator and denominator, one rounding step.
  const tenthsKept = 10 * (records - quarantined) - warnings;
  return Math.round((10_000 * tenthsKept) / (10 * records)) / 100;
}
