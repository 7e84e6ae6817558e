import { IMPORT_COLUMNS, IMPORT_FILE_NAMES, type ImportFile } from '@olist/quality-contracts';
import { BRAZIL_BOUNDING_BOX } from '@olist/shared-kernel';
import { stagingTable } from '../staging/staging-tables';
import {
  canonicalNumber,
  canonicalTimestamp,
  cityKey,
  cityLower,
  cityProblem,
  col,
  coordinateFast,
  coordinateGuarded,
  isBlank,
  isDecimalAmount,
  isFiniteNumber,
  isPresent,
  isUf,
  isWholeNumber,
  isZipDigits,
  joinParts,
  literal,
  numberFast,
  numberGuarded,
  numericValue,
  shown,
  timestampFast,
  timestampGuarded,
  wholeNumberKey,
  wholeNumberValue,
  zipDigits,
} from './rule-sql';

/**
 * The SQL behind each rule of RULE_CATALOG.
 *
 * Row rules judge one staging row at a time: the rules of a file share one scan of its partition
 * (`s` is the row, with the file's derived columns), `when` says whether the rule hits and
 * `message` what a user reads. Derived columns that need a cast come in two variants: `fast` casts
 * directly and raises on malformed text, `guarded` validates first and never raises; both give the
 * same verdicts (the tests check it), the fast one costs a fraction on a million rows.
 *
 * Set rules compare rows with each other or with another file and are one INSERT … SELECT each:
 * `select` returns (line, message, vals) for the rows they hit; `$1` is the load id. Rules that read
 * another file run only when the load contains it (`requires`), and a reference counts as present
 * when the key is anywhere in that file of the load, quarantined or not.
 */

export interface RowRule {
  readonly code: string;
  readonly when: string;
  readonly message: string;
}

export interface SetRule {
  readonly code: string;
  readonly file: ImportFile;
  readonly requires?: readonly ImportFile[];
  /** `values(alias)` renders the stored row of a staging alias (NULL for warnings). */
  readonly select: (values: (alias: string) => string) => string;
}

/** Derived columns computed once per row before the row rules read them, stage after stage. */
export type DerivedStages = readonly Readonly<Record<string, string>>[];

export interface RowChecks {
  readonly file: ImportFile;
  /**
   * `fast`: stages that may raise a data error on malformed text but are much cheaper;
   * `guarded`: the same values without ever raising. Files without a fast variant give one.
   */
  readonly derive: (mode: 'fast' | 'guarded') => DerivedStages;
  readonly hasFastMode: boolean;
  readonly rules: readonly RowRule[];
}

const s = (column: string) => col('s', column);
const fileName = (file: ImportFile) => literal(IMPORT_FILE_NAMES[file]);
const staged = (file: ImportFile, alias: string) => `${stagingTable(file)} ${alias}`;

const GEO_COLUMNS: readonly string[] = IMPORT_COLUMNS.geolocation;

const ORDER_STATUSES = ['created', 'approved', 'invoiced', 'processing', 'shipped', 'delivered', 'canceled', 'unavailable'];
const PAYMENT_TYPES = ['credit_card', 'boleto', 'voucher', 'debit_card'];

/** `column is empty` or `column "x" <problem>` for each failing column, joined. */
const columnProblems = (checks: readonly { column: string; bad: string; problem: string; emptyIsBad?: boolean }[]) =>
  joinParts(
    checks.map(
      ({ column, bad, problem, emptyIsBad }) =>
        `CASE WHEN ${bad} THEN ${
          emptyIsBad ? `CASE WHEN ${isBlank(s(column))} THEN '${column} is empty' ELSE ` : ''
        }'${column} ' || ${shown(s(column))} || ' ${problem}'${emptyIsBad ? ' END' : ''} END`,
    ),
  );

const missingKeyRule = (code: string, columns: readonly string[]): RowRule => ({
  code,
  when: columns.map((c) => isBlank(s(c))).join(' OR '),
  message: joinParts(columns.map((c) => `CASE WHEN ${isBlank(s(c))} THEN '${c} is empty' END`)),
});

/** `order_id "x"` or `(order_id, order_item_id) ("x", "1")`. */
const keyShown = (columns: readonly string[]) =>
  columns.length === 1
    ? `'${columns.join('')} ' || ${shown(s(columns.join('')))}`
    : `'(${columns.join(', ')}) (' || ${columns.map((c) => shown(s(c))).join(` || ', ' || `)} || ')'`;

/** Every copy of a key after its first line; `key` maps a column to the expression compared. */
const duplicateKeyRule = (
  code: string,
  file: ImportFile,
  columns: readonly string[],
  key: (column: string, alias: string) => string = (c, a) => col(a, c),
): SetRule => ({
  code,
  file,
  select: (values) => `
    SELECT s.line,
           ${keyShown(columns)} || ' already appears on line ' || d.first_line AS message,
           ${values('s')} AS vals
      FROM ${staged(file, 's')}
      JOIN (SELECT ${columns.map((c, i) => `${key(c, 'k')} AS k${i}`).join(', ')}, min(k.line) AS first_line
              FROM ${staged(file, 'k')}
             WHERE k.load_id = $1 AND ${columns.map((c) => isPresent(col('k', c))).join(' AND ')}
             GROUP BY ${columns.map((_, i) => i + 1).join(', ')}
            HAVING count(*) > 1) d
        ON ${columns.map((c, i) => `d.k${i} = ${key(c, 's')}`).join(' AND ')}
     WHERE s.load_id = $1 AND s.line > d.first_line`,
});

/**
 * A reference to another file's key. With `emptyIsViolation` an empty reference is reported too (when
 * the column is not part of the row's own key, which the missing-key rule covers).
 */
const foreignKeyRule = (
  code: string,
  file: ImportFile,
  column: string,
  target: ImportFile,
  targetColumn: string,
  emptyIsViolation: boolean,
): SetRule => ({
  code,
  file,
  requires: [target],
  select: (values) => `
    SELECT s.line, '${column} ' || ${shown(s(column))} || ' is not in ' || ${fileName(target)} AS message, ${values('s')} AS vals
      FROM ${staged(file, 's')}
     WHERE s.load_id = $1 AND ${isPresent(s(column))}
       AND NOT EXISTS (SELECT 1 FROM ${staged(target, 't')} WHERE t.load_id = $1 AND ${col('t', targetColumn)} = ${s(column)})${
         emptyIsViolation
           ? `
    UNION ALL
    SELECT s.line, '${column} is empty', ${values('s')} FROM ${staged(file, 's')} WHERE s.load_id = $1 AND ${isBlank(s(column))}`
           : ''
       }`,
});

// ---------------------------------------------------------------------------------------------
// Row rules, per file

const zipRules = (prefix: string, column: string): RowRule[] => [
  {
    code: `${prefix}.ZIP_INVALID`,
    when: `NOT s.zip_ok`,
    message: `CASE WHEN ${isBlank(s(column))} THEN '${column} is empty'
                   ELSE '${column} ' || ${shown(s(column))} || ' is not a zip-code prefix of 4 or 5 digits' END`,
  },
  {
    code: `${prefix}.ZIP_LEADING_ZERO_LOST`,
    when: `s.zip_ok AND length(s.zip_digits) = 4`,
    message: `'${column} ' || ${shown(s(column))} || ' has 4 digits, read as "0' || s.zip_digits || '"'`,
  },
];

const stateRule = (prefix: string, column: string): RowRule => ({
  code: `${prefix}.STATE_UNKNOWN`,
  when: `NOT ${isUf(s(column))}`,
  message: `CASE WHEN ${isBlank(s(column))} THEN '${column} is empty'
                 ELSE '${column} ' || ${shown(s(column))} || ' is not a Brazilian state code' END`,
});

const cityRule = (prefix: string, column: string): RowRule => ({
  code: `${prefix}.CITY_MALFORMED`,
  when: `s.city_problem IS NOT NULL`,
  message: `CASE WHEN ${isBlank(s(column))} THEN '${column} is empty'
                 ELSE '${column} ' || ${shown(s(column))} || ' ' || s.city_problem END`,
});

/** `zip_digits` and `zip_ok` in one stage (the cheap digit extraction is repeated rather than a level added). */
const zipColumns = (zipColumn: string) => ({
  zip_digits: zipDigits(s(zipColumn)),
  zip_ok: isZipDigits(zipDigits(s(zipColumn))),
});

const addressStages = (zipColumn: string, cityColumn: string): DerivedStages => [
  { ...zipColumns(zipColumn), city_lower: cityLower(s(cityColumn)) },
  { city_key: cityKey('s.city_lower') },
  { city_problem: cityProblem('s.city_key') },
];

/** `<key>_ts` for each timestamp column: its value when it is a valid timestamp, else NULL. */
const timestampStages = (mode: 'fast' | 'guarded', columns: Readonly<Record<string, string>>): DerivedStages => {
  const read = mode === 'fast' ? timestampFast : timestampGuarded;
  const entries = Object.entries(columns);
  return [
    Object.fromEntries(entries.map(([k, c]) => [`${k}_raw`, read(s(c))])),
    Object.fromEntries(entries.map(([k, c]) => [`${k}_ts`, canonicalTimestamp(`s.${k}_raw`, s(c))])),
  ];
};

/** A timestamp column that is present but not a valid time (or, when required, also empty). */
const badTimestamp = (key: string, column: string, required = false) =>
  required ? `s.${key}_ts IS NULL` : `(s.${key}_ts IS NULL AND ${isPresent(s(column))})`;

const TIME_FORMAT = 'is not a valid time (YYYY-MM-DD HH:MM:SS)';

const ORDER_TIMES = {
  purchase: 'order_purchase_timestamp',
  approved: 'order_approved_at',
  carrier: 'order_delivered_carrier_date',
  delivered: 'order_delivered_customer_date',
  estimated: 'order_estimated_delivery_date',
} as const;

const timeline = (code: string, later: keyof typeof ORDER_TIMES, earlier: keyof typeof ORDER_TIMES, verb: string): RowRule => ({
  code,
  when: `s.${later}_ts < s.${earlier}_ts`,
  message: `'${ORDER_TIMES[later]} ' || ${shown(s(ORDER_TIMES[later]))} || ' is before ${ORDER_TIMES[earlier]} ' || ${shown(
    s(ORDER_TIMES[earlier]),
  )} || ' (${verb})'`,
});

const ORDERS: RowChecks = {
  file: 'orders',
  hasFastMode: true,
  derive: (mode) => timestampStages(mode, ORDER_TIMES),
  rules: [
    missingKeyRule('ORDERS.PK_MISSING', ['order_id']),
    {
      code: 'ORDERS.STATUS_UNKNOWN',
      when: `${s('order_status')} IS NULL OR ${s('order_status')} NOT IN (${ORDER_STATUSES.map(literal).join(', ')})`,
      message: `CASE WHEN ${isBlank(s('order_status'))} THEN 'order_status is empty'
                     ELSE 'order_status ' || ${shown(s('order_status'))} || ' is not a known order status' END`,
    },
    {
      code: 'ORDERS.TIMESTAMP_INVALID',
      when: Object.entries(ORDER_TIMES)
        .map(([k, c]) => badTimestamp(k, c, k === 'purchase'))
        .join(' OR '),
      message: columnProblems(
        Object.entries(ORDER_TIMES).map(([k, c]) => ({
          column: c,
          bad: badTimestamp(k, c, k === 'purchase'),
          problem: TIME_FORMAT,
          emptyIsBad: k === 'purchase',
        })),
      ),
    },
    timeline('ORDERS.APPROVED_BEFORE_PURCHASE', 'approved', 'purchase', 'approved before it was bought'),
    timeline('ORDERS.CARRIER_BEFORE_PURCHASE', 'carrier', 'purchase', 'handed to the carrier before it was bought'),
    timeline('ORDERS.CARRIER_BEFORE_APPROVAL', 'carrier', 'approved', 'handed to the carrier before it was approved'),
    timeline('ORDERS.DELIVERED_BEFORE_CARRIER', 'delivered', 'carrier', 'delivered before the carrier picked it up'),
    {
      code: 'ORDERS.DELIVERED_WITHOUT_DATE',
      when: `${s('order_status')} = 'delivered' AND ${isBlank(s('order_delivered_customer_date'))}`,
      message: `'order_status is delivered but order_delivered_customer_date is empty'`,
    },
    {
      code: 'ORDERS.DELIVERED_WITHOUT_APPROVAL',
      when: `${s('order_status')} = 'delivered' AND ${isBlank(s('order_approved_at'))}`,
      message: `'order_status is delivered but order_approved_at is empty'`,
    },
  ],
};

const moneyRules = (prefix: string, column: string, name: string): RowRule[] => [
  {
    code: `${prefix}.${name}_INVALID`,
    when: `NOT s.${column}_ok`,
    message: `CASE WHEN ${isBlank(s(column))} THEN '${column} is empty'
                   ELSE '${column} ' || ${shown(s(column))} || ' is not a decimal amount' END`,
  },
  {
    code: `${prefix}.${name}_NEGATIVE`,
    when: `CASE WHEN s.${column}_ok THEN ${numericValue(s(column))} < 0 ELSE false END`,
    message: `'${column} ' || ${shown(s(column))} || ' is negative'`,
  },
];

const ORDER_ITEMS: RowChecks = {
  file: 'order_items',
  hasFastMode: true,
  derive: (mode) => {
    const [raw, ts] = timestampStages(mode, { shipping: 'shipping_limit_date' });
    return [{ ...raw, price_ok: isDecimalAmount(s('price')), freight_value_ok: isDecimalAmount(s('freight_value')) }, { ...ts }];
  },
  rules: [
    missingKeyRule('ITEMS.PK_MISSING', ['order_id', 'order_item_id']),
    {
      code: 'ITEMS.ITEM_NUMBER_INVALID',
      when: `${isPresent(s('order_item_id'))} AND NOT CASE WHEN ${isWholeNumber(s('order_item_id'))} THEN ${wholeNumberValue(
        s('order_item_id'),
      )} >= 1 ELSE false END`,
      message: `'order_item_id ' || ${shown(s('order_item_id'))} || ' is not a positive whole number'`,
    },
    ...moneyRules('ITEMS', 'price', 'PRICE'),
    ...moneyRules('ITEMS', 'freight_value', 'FREIGHT'),
    {
      code: 'ITEMS.SHIPPING_LIMIT_INVALID',
      when: badTimestamp('shipping', 'shipping_limit_date', true),
      message: `CASE WHEN ${isBlank(s('shipping_limit_date'))} THEN 'shipping_limit_date is empty'
                     ELSE 'shipping_limit_date ' || ${shown(s('shipping_limit_date'))} || ' ${TIME_FORMAT}' END`,
    },
  ],
};

const ORDER_PAYMENTS: RowChecks = {
  file: 'order_payments',
  hasFastMode: false,
  derive: () => [
    {
      payment_value_ok: isDecimalAmount(s('payment_value')),
      installments: `CASE WHEN ${isWholeNumber(s('payment_installments'))} THEN ${wholeNumberValue(s('payment_installments'))} END`,
    },
  ],
  rules: [
    missingKeyRule('PAYMENTS.PK_MISSING', ['order_id', 'payment_sequential']),
    {
      code: 'PAYMENTS.SEQUENTIAL_INVALID',
      when: `${isPresent(s('payment_sequential'))} AND NOT CASE WHEN ${isWholeNumber(s('payment_sequential'))} THEN ${wholeNumberValue(
        s('payment_sequential'),
      )} >= 1 ELSE false END`,
      message: `'payment_sequential ' || ${shown(s('payment_sequential'))} || ' is not a positive whole number'`,
    },
    {
      code: 'PAYMENTS.TYPE_UNKNOWN',
      when: `${s('payment_type')} IS NULL OR ${s('payment_type')} NOT IN (${[...PAYMENT_TYPES, 'not_defined'].map(literal).join(', ')})`,
      message: `CASE WHEN ${isBlank(s('payment_type'))} THEN 'payment_type is empty'
                     ELSE 'payment_type ' || ${shown(s('payment_type'))} || ' is not one of ${PAYMENT_TYPES.join(', ')}, not_defined' END`,
    },
    {
      code: 'PAYMENTS.TYPE_NOT_DEFINED',
      when: `${s('payment_type')} = 'not_defined'`,
      message: `'payment_type is not_defined'`,
    },
    {
      code: 'PAYMENTS.INSTALLMENTS_ZERO',
      when: `s.installments = 0`,
      message: `'payment_installments is 0'`,
    },
    {
      code: 'PAYMENTS.INSTALLMENTS_INVALID',
      when: `s.installments IS NULL OR s.installments < 0`,
      message: `CASE WHEN ${isBlank(s('payment_installments'))} THEN 'payment_installments is empty'
                     WHEN s.installments < 0 THEN 'payment_installments ' || ${shown(s('payment_installments'))} || ' is negative'
                     ELSE 'payment_installments ' || ${shown(s('payment_installments'))} || ' is not a whole number' END`,
    },
    ...moneyRules('PAYMENTS', 'payment_value', 'VALUE'),
  ],
};

const ORDER_REVIEWS: RowChecks = {
  file: 'order_reviews',
  hasFastMode: true,
  derive: (mode) => timestampStages(mode, { created: 'review_creation_date', answered: 'review_answer_timestamp' }),
  rules: [
    missingKeyRule('REVIEWS.PK_MISSING', ['review_id']),
    {
      code: 'REVIEWS.SCORE_INVALID',
      when: `NOT CASE WHEN ${isWholeNumber(s('review_score'))} THEN ${wholeNumberValue(s('review_score'))} BETWEEN 1 AND 5 ELSE false END`,
      message: `CASE WHEN ${isBlank(s('review_score'))} THEN 'review_score is empty'
                     ELSE 'review_score ' || ${shown(s('review_score'))} || ' is not a whole number from 1 to 5' END`,
    },
    {
      code: 'REVIEWS.TIMESTAMP_INVALID',
      when: `${badTimestamp('created', 'review_creation_date', true)} OR ${badTimestamp('answered', 'review_answer_timestamp')}`,
      message: columnProblems([
        { column: 'review_creation_date', bad: badTimestamp('created', 'review_creation_date', true), problem: TIME_FORMAT, emptyIsBad: true },
        { column: 'review_answer_timestamp', bad: badTimestamp('answered', 'review_answer_timestamp'), problem: TIME_FORMAT },
      ]),
    },
  ],
};

const CUSTOMERS: RowChecks = {
  file: 'customers',
  hasFastMode: false,
  derive: () => addressStages('customer_zip_code_prefix', 'customer_city'),
  rules: [
    missingKeyRule('CUSTOMERS.PK_MISSING', ['customer_id']),
    missingKeyRule('CUSTOMERS.UNIQUE_ID_MISSING', ['customer_unique_id']),
    ...zipRules('CUSTOMERS', 'customer_zip_code_prefix'),
    stateRule('CUSTOMERS', 'customer_state'),
    cityRule('CUSTOMERS', 'customer_city'),
  ],
};

const SELLERS: RowChecks = {
  file: 'sellers',
  hasFastMode: false,
  derive: () => addressStages('seller_zip_code_prefix', 'seller_city'),
  rules: [
    missingKeyRule('SELLERS.PK_MISSING', ['seller_id']),
    ...zipRules('SELLERS', 'seller_zip_code_prefix'),
    stateRule('SELLERS', 'seller_state'),
    cityRule('SELLERS', 'seller_city'),
  ],
};

const PRODUCT_COUNTS = ['product_name_lenght', 'product_description_lenght', 'product_photos_qty'];
const PRODUCT_MEASURES = ['product_weight_g', 'product_length_cm', 'product_height_cm', 'product_width_cm'];

const PRODUCT_NUMBERS = [...PRODUCT_COUNTS, ...PRODUCT_MEASURES];

const countBad = (c: string) => `(${isPresent(s(c))} AND NOT coalesce(s.${c}_n >= 0 AND s.${c}_n = trunc(s.${c}_n), false))`;
const measureBad = (c: string) => `(${isPresent(s(c))} AND s.${c}_n IS NULL)`;
const measureMissing = (c: string) => `(${isBlank(s(c))} OR s.${c}_n <= 0)`;

const PRODUCTS: RowChecks = {
  file: 'products',
  hasFastMode: true,
  derive: (mode) => {
    const read = mode === 'fast' ? numberFast : numberGuarded;
    return [
      Object.fromEntries(PRODUCT_NUMBERS.map((c) => [`${c}_raw`, read(s(c))])),
      Object.fromEntries(PRODUCT_NUMBERS.map((c) => [`${c}_n`, canonicalNumber(`s.${c}_raw`, s(c))])),
    ];
  },
  rules: [
    missingKeyRule('PRODUCTS.PK_MISSING', ['product_id']),
    {
      code: 'PRODUCTS.CATEGORY_MISSING',
      when: isBlank(s('product_category_name')),
      message: `'product_category_name is empty'`,
    },
    {
      code: 'PRODUCTS.NUMBER_INVALID',
      when: [...PRODUCT_COUNTS.map(countBad), ...PRODUCT_MEASURES.map(measureBad)].join(' OR '),
      message: columnProblems([
        ...PRODUCT_COUNTS.map((c) => ({ column: c, bad: countBad(c), problem: 'is not a non-negative whole number' })),
        ...PRODUCT_MEASURES.map((c) => ({ column: c, bad: measureBad(c), problem: 'is not a plain decimal number' })),
      ]),
    },
    {
      code: 'PRODUCTS.MEASURES_MISSING',
      when: PRODUCT_MEASURES.map(measureMissing).join(' OR '),
      message: joinParts(
        PRODUCT_MEASURES.map(
          (c) => `CASE WHEN ${isBlank(s(c))} THEN '${c} is empty'
                       WHEN s.${c}_n <= 0 THEN '${c} ' || ${shown(s(c))} || ' is not positive' END`,
        ),
      ),
    },
  ],
};

const BOX = BRAZIL_BOUNDING_BOX;

// The geolocation rules that quarantine are all row rules on the row's own columns, so identical
// copies share their fate: the raw feed relies on it when it leaves out the copies GEO.DUPLICATE_ROW
// marks (raw-feed.publisher.ts). A rule quarantining a copy for its line or for other rows breaks that.
const GEOLOCATION: RowChecks = {
  file: 'geolocation',
  hasFastMode: true,
  derive: (mode) => {
    const read = mode === 'fast' ? coordinateFast : coordinateGuarded;
    return [{ ...zipColumns('geolocation_zip_code_prefix'), lat: read(s('geolocation_lat')), lng: read(s('geolocation_lng')) }];
  },
  rules: [
    ...zipRules('GEO', 'geolocation_zip_code_prefix'),
    stateRule('GEO', 'geolocation_state'),
    {
      code: 'GEO.COORDINATES_INVALID',
      when: `NOT (${isFiniteNumber('s.lat')} AND ${isFiniteNumber('s.lng')})`,
      message: joinParts(
        (['lat', 'lng'] as const).map(
          (k) => `CASE WHEN ${isBlank(s(`geolocation_${k}`))} THEN 'geolocation_${k} is empty'
                       WHEN NOT ${isFiniteNumber(`s.${k}`)} THEN 'geolocation_${k} ' || ${shown(s(`geolocation_${k}`))} || ' is not a number' END`,
        ),
      ),
    },
    {
      code: 'GEO.OUTSIDE_BRAZIL',
      when: `${isFiniteNumber('s.lat')} AND ${isFiniteNumber('s.lng')} AND NOT (s.lat BETWEEN ${BOX.minLat} AND ${BOX.maxLat} AND s.lng BETWEEN ${BOX.minLng} AND ${BOX.maxLng})`,
      message: `'point (' || ${s('geolocation_lat')} || ', ' || ${s('geolocation_lng')} || ') is outside Brazil (latitude ${BOX.minLat} to ${BOX.maxLat}, longitude ${BOX.minLng} to ${BOX.maxLng})'`,
    },
  ],
};

const CATEGORY_TRANSLATION: RowChecks = {
  file: 'category_translation',
  hasFastMode: false,
  derive: () => [],
  rules: [
    missingKeyRule('TRANSLATION.PK_MISSING', ['product_category_name']),
    {
      code: 'TRANSLATION.ENGLISH_MISSING',
      when: isBlank(s('product_category_name_english')),
      message: `'product_category_name_english is empty'`,
    },
  ],
};

export const ROW_CHECKS: readonly RowChecks[] = [
  ORDERS,
  ORDER_ITEMS,
  ORDER_PAYMENTS,
  ORDER_REVIEWS,
  CUSTOMERS,
  SELLERS,
  PRODUCTS,
  GEOLOCATION,
  CATEGORY_TRANSLATION,
];

// ---------------------------------------------------------------------------------------------
// Set rules

/** A money column in whole centavos (it has at most two significant decimals), NULL when unreadable. */
const centavos = (alias: string, column: string) =>
  `CASE WHEN ${isDecimalAmount(col(alias, column))} THEN (${numericValue(col(alias, column))} * 100)::bigint END`;

export const SET_RULES: readonly SetRule[] = [
  duplicateKeyRule('ORDERS.PK_DUPLICATE', 'orders', ['order_id']),
  foreignKeyRule('ORDERS.FK_CUSTOMER', 'orders', 'customer_id', 'customers', 'customer_id', true),
  {
    code: 'ORDERS.NO_ITEMS',
    file: 'orders',
    requires: ['order_items'],
    select: (values) => `
      SELECT s.line, 'order_id ' || ${shown(s('order_id'))} || ' has no row in ' || ${fileName('order_items')} AS message,
             ${values('s')} AS vals
        FROM ${staged('orders', 's')}
       WHERE s.load_id = $1 AND ${isPresent(s('order_id'))}
         AND NOT EXISTS (SELECT 1 FROM ${staged('order_items', 'i')} WHERE i.load_id = $1 AND i.order_id = s.order_id)`,
  },
  {
    // Sums in whole centavos (bigint) are much cheaper than numeric sums over a hundred thousand orders.
    code: 'ORDERS.PAYMENTS_MISMATCH',
    file: 'orders',
    requires: ['order_items', 'order_payments'],
    select: (values) => `
      SELECT s.line,
             'payments add up to ' || (p.centavos / 100.0)::numeric(20, 2) || ' but items (price + freight) to '
               || (i.centavos / 100.0)::numeric(20, 2) AS message,
             ${values('s')} AS vals
        FROM (SELECT i.order_id, sum(i.centavos) AS centavos, count(*) - count(i.centavos) AS unreadable
                FROM (SELECT i.order_id, ${centavos('i', 'price')} + ${centavos('i', 'freight_value')} AS centavos
                        FROM ${staged('order_items', 'i')} WHERE i.load_id = $1 OFFSET 0) i
               GROUP BY i.order_id) i
        JOIN (SELECT p.order_id, sum(p.centavos) AS centavos, count(*) - count(p.centavos) AS unreadable
                FROM (SELECT p.order_id, ${centavos('p', 'payment_value')} AS centavos
                        FROM ${staged('order_payments', 'p')} WHERE p.load_id = $1 OFFSET 0) p
               GROUP BY p.order_id) p ON p.order_id = i.order_id
        JOIN ${staged('orders', 's')} ON s.order_id = i.order_id
       WHERE s.load_id = $1 AND i.unreadable = 0 AND p.unreadable = 0 AND i.centavos <> p.centavos`,
  },

  duplicateKeyRule('ITEMS.PK_DUPLICATE', 'order_items', ['order_id', 'order_item_id'], (c, a) =>
    c === 'order_item_id' ? wholeNumberKey(col(a, c)) : col(a, c),
  ),
  foreignKeyRule('ITEMS.FK_ORDER', 'order_items', 'order_id', 'orders', 'order_id', false),
  foreignKeyRule('ITEMS.FK_PRODUCT', 'order_items', 'product_id', 'products', 'product_id', true),
  foreignKeyRule('ITEMS.FK_SELLER', 'order_items', 'seller_id', 'sellers', 'seller_id', true),

  duplicateKeyRule('PAYMENTS.PK_DUPLICATE', 'order_payments', ['order_id', 'payment_sequential'], (c, a) =>
    c === 'payment_sequential' ? wholeNumberKey(col(a, c)) : col(a, c),
  ),
  foreignKeyRule('PAYMENTS.FK_ORDER', 'order_payments', 'order_id', 'orders', 'order_id', false),

  {
    code: 'REVIEWS.PK_DUPLICATE',
    file: 'order_reviews',
    select: (values) => `
      SELECT s.line,
             'review_id ' || ${shown(s('review_id'))} || ' already appears on line ' || s.previous_line
               || CASE WHEN s.order_id IS NOT DISTINCT FROM s.previous_order_id THEN ' for the same order'
                       ELSE ' for order ' || coalesce(${shown('s.previous_order_id')}, 'with an empty order_id') END AS message,
             ${values('s')} AS vals
        FROM (SELECT s.*, lag(s.line) OVER w AS previous_line, lag(s.order_id) OVER w AS previous_order_id
                FROM ${staged('order_reviews', 's')}
               WHERE s.load_id = $1 AND ${isPresent(s('review_id'))}
              WINDOW w AS (PARTITION BY s.review_id ORDER BY s.line)) s
       WHERE s.previous_line IS NOT NULL`,
  },
  foreignKeyRule('REVIEWS.FK_ORDER', 'order_reviews', 'order_id', 'orders', 'order_id', true),

  duplicateKeyRule('CUSTOMERS.PK_DUPLICATE', 'customers', ['customer_id']),
  duplicateKeyRule('SELLERS.PK_DUPLICATE', 'sellers', ['seller_id']),
  duplicateKeyRule('PRODUCTS.PK_DUPLICATE', 'products', ['product_id']),
  {
    code: 'PRODUCTS.CATEGORY_UNTRANSLATED',
    file: 'products',
    requires: ['category_translation'],
    select: (values) => `
      SELECT s.line,
             'product_category_name ' || ${shown(s('product_category_name'))} || ' is not in ' || ${fileName('category_translation')} AS message,
             ${values('s')} AS vals
        FROM ${staged('products', 's')}
        LEFT JOIN (SELECT DISTINCT t.product_category_name AS key FROM ${staged('category_translation', 't')} WHERE t.load_id = $1) t
          ON t.key = s.product_category_name
       WHERE s.load_id = $1 AND ${isPresent(s('product_category_name'))} AND t.key IS NULL`,
  },

  {
    // Sorting a million rows by a 64-bit hash of their coordinates first, then by every column, is much
    // cheaper than by the columns alone: the text is only compared between rows with equal hashes.
    // Each copy names the copy before it. The raw feed leaves out the rows with this verdict, so it must
    // mark every copy after the first, compared on every column (NULL equal to NULL), and nothing else.
    code: 'GEO.DUPLICATE_ROW',
    file: 'geolocation',
    select: (values) => `
      SELECT s.line, 'same zip prefix, coordinates, city and state as line ' || s.previous_line AS message, ${values('s')} AS vals
        FROM (SELECT s.*, lag(s.line) OVER w AS previous_line
                FROM ${staged('geolocation', 's')}
               WHERE s.load_id = $1
              WINDOW w AS (PARTITION BY hashtextextended(${s('geolocation_lat')}, hashtextextended(${s('geolocation_lng')}, 0)),
                                        ${GEO_COLUMNS.map(s).join(', ')}
                           ORDER BY s.line)) s
       WHERE s.previous_line IS NOT NULL`,
  },
  duplicateKeyRule('TRANSLATION.PK_DUPLICATE', 'category_translation', ['product_category_name']),
];
