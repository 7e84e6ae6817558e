import { IMPORT_COLUMNS, type ImportFile } from '@olist/quality-contracts';
import { UF_CODES } from '@olist/shared-kernel';

/**
 * SQL fragments the quality rules are written with. Each takes SQL expressions (usually a staging
 * column such as `s."price"`) and returns an expression; none of them can raise an error on any
 * text, so one odd value never aborts a whole rule. Staging holds raw text: an empty CSV field is
 * NULL, but a value made only of blanks is treated as empty as well.
 */

export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

export const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

export const col = (alias: string, column: string) => `${alias}.${ident(column)}`;

export const isBlank = (x: string) => `(${x} IS NULL OR btrim(${x}) = '')`;

export const isPresent = (x: string) => `(${x} IS NOT NULL AND btrim(${x}) <> '')`;

/** A value as shown in a message: quoted, cut to 60 characters. */
export const shown = (x: string) => `'"' || left(${x}, 60) || CASE WHEN length(${x}) > 60 THEN '…"' ELSE '"' END`;

/** The staging row as jsonb without load_id and line, i.e. `to_jsonb(row) - 'load_id' - 'line'`. */
export const rowValues = (file: ImportFile, alias: string) =>
  `jsonb_build_object(${(IMPORT_COLUMNS[file] as readonly string[]).map((c) => `${literal(c)}, ${col(alias, c)}`).join(', ')})`;

/** A whole number, also in the `57.0` form of re-saved files. */
export const isWholeNumber = (x: string) => `coalesce(btrim(${x}) ~ '^[+-]?[0-9]+(\\.0*)?$', false)`;

/** The value of a text that passed {@link isWholeNumber}. */
export const wholeNumberValue = (x: string) => `split_part(btrim(${x}), '.', 1)::numeric`;

/** A whole number normalised for key comparisons (`1`, `1.0` and `01` are the same item); other text as is. */
export const wholeNumberKey = (x: string) =>
  `CASE WHEN ${isWholeNumber(x)} THEN (${wholeNumberValue(x)})::text ELSE ${x} END`;

/**
 * A money amount as `Money.parse` reads it: optional sign, digits, optionally a point and digits,
 * no more than two significant decimals (`199.0`, `1.500` are fine; `1e3`, `1,5`, `.5`, `1.005` are not).
 */
export const isDecimalAmount = (x: string) => `coalesce(btrim(${x}) ~ '^[+-]?[0-9]+(\\.[0-9]{1,2}0*)?$', false)`;

/** The numeric value of a text that passed {@link isDecimalAmount}. */
export const numericValue = (x: string) => `btrim(${x})::numeric`;

/**
 * Timestamps are `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD` (a day written without its time), and a valid
 * one is the canonical text of its value: a real calendar day, hours 00–23, minutes and seconds
 * 00–59. Reading one is two steps: a raw value (fast: the cast itself, which raises on an impossible
 * date; guarded: the cast only after the text passed the checks) and {@link canonicalTimestamp}, which
 * keeps it when printing it back gives the text again (the cast alone also takes `24:00:00`).
 */
export const timestampFast = (x: string) =>
  `CASE WHEN ${x} LIKE '____-__-__ __:__:__' OR ${x} LIKE '____-__-__' THEN (${x})::timestamp END`;

const TIMESTAMP_SHAPE =
  '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])( ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9])?$';

export const timestampGuarded = (x: string) => `CASE WHEN ${x} ~ '${TIMESTAMP_SHAPE}' AND substr(${x}, 1, 4) <> '0000' AND
    CASE WHEN substr(${x}, 9, 2) <= '28' THEN true
         WHEN substr(${x}, 6, 2) IN ('04', '06', '09', '11') THEN substr(${x}, 9, 2) <= '30'
         WHEN substr(${x}, 6, 2) = '02' THEN substr(${x}, 9, 2) = '29'
              AND substr(${x}, 1, 4)::int % 4 = 0 AND (substr(${x}, 1, 4)::int % 100 <> 0 OR substr(${x}, 1, 4)::int % 400 = 0)
         ELSE true END
    THEN (${x})::timestamp END`;

/** The raw timestamp when the text is its canonical form (needs DateStyle ISO), else NULL. */
export const canonicalTimestamp = (raw: string, x: string) =>
  `CASE WHEN ${raw}::text = CASE WHEN length(${x}) = 10 THEN ${x} || ' 00:00:00' ELSE ${x} END THEN ${raw} END`;

/**
 * Plain numbers (product sizes and counts) read the same two ways: the numeric cast, or the cast only
 * after a pattern check; {@link canonicalNumber} keeps the value when its text is `57`, `57.0` or
 * `-3.25` as written (not `+5`, ` 5`, `007`, `1e3`, `NaN`).
 */
export const numberFast = (x: string) => `(${x})::numeric`;

export const numberGuarded = (x: string) =>
  `CASE WHEN length(${x}) <= 100 AND ${x} ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN (${x})::numeric END`;

export const canonicalNumber = (raw: string, x: string) =>
  `CASE WHEN ${raw}::text = ${x} AND ${raw} > '-Infinity' AND ${raw} < 'Infinity' THEN ${raw} END`;

/**
 * A zip-code prefix reduced to its digits as `ZipPrefix.parse` reads it: trimmed, a trailing `.0`
 * removed. The regular expression only runs on the rare values that contain a point.
 */
export const zipDigits = (x: string) =>
  `CASE WHEN strpos(${x}, '.') > 0 THEN regexp_replace(btrim(${x}), '\\.0+$', '') ELSE btrim(${x}) END`;

/** 4 or 5 digits (a text from {@link zipDigits}); translate is cheaper than a regular expression on a million rows. */
export const isZipDigits = (d: string) => `coalesce(length(${d}) IN (4, 5) AND translate(${d}, '0123456789', '') = '', false)`;

const UF_LIST = UF_CODES.map(literal).join(', ');

/** A state code as `UF.parse` reads it (trimmed, any case); the exact upper-case code is tested first. */
export const isUf = (x: string) => `coalesce(${x} IN (${UF_LIST}) OR upper(btrim(${x})) IN (${UF_LIST}), false)`;

const UF_SUFFIX = `((\\s*/\\s*|\\s+-\\s*|\\s*,\\s*)(${UF_CODES.map((c) => c.toLowerCase()).join('|')}))+$`;

/** A city lower-cased and trimmed of blanks, the first step of `normalizeCity`. */
export const cityLower = (x: string) => `lower(btrim(coalesce(${x}, ''), E' \\t\\r\\n'))`;

/**
 * The rest of `normalizeCity` on a {@link cityLower} text: blanks collapsed and trailing ` / sp`
 * suffixes removed; the regular expressions only run on names with a separator in them.
 */
export const cityKey = (lowered: string) => `CASE WHEN strpos(${lowered}, '/') > 0 OR strpos(${lowered}, ',') > 0 OR strpos(${lowered}, '-') > 0
    THEN btrim(regexp_replace(regexp_replace(${lowered}, '\\s+', ' ', 'g'), '${UF_SUFFIX}', ''))
    ELSE ${lowered} END`;

/**
 * Why a city (a text from {@link cityKey}) is not a city name, as `normalizeCity` judges it, or NULL
 * for a usable name.
 */
export const cityProblem = (key: string) => `CASE
      WHEN ${key} = '' THEN 'is empty'
      WHEN left(${key}, 1) BETWEEN '0' AND '9' AND ${key} ~ '^[0-9]+$' THEN 'is only digits'
      WHEN strpos(${key}, '@') > 0 THEN 'looks like an e-mail address'
      WHEN length(${key}) = 2 AND ${key} IN (${UF_CODES.map((u) => literal(u.toLowerCase())).join(', ')}) THEN 'is a state code, not a city'
    END`;

/**
 * A coordinate read by the float8 cast itself. Raises an error on text that is not a number; the
 * rules run it first because it costs a fraction of a validating regular expression, and fall
 * back to {@link coordinateGuarded} when it fails.
 */
export const coordinateFast = (x: string) => `(${x})::float8`;

/**
 * The same value without ever raising: the common `-23.5` shape is cast directly, anything else goes
 * through jsonpath `.double()` in silent mode (float8 input rules, NULL when not a finite number).
 */
export const coordinateGuarded = (x: string) =>
  `CASE WHEN ${x} ~ '^-?[0-9]{1,3}\\.[0-9]+$' THEN (${x})::float8
        ELSE (jsonb_path_query_first(to_jsonb(${x}), '$.double()', '{}', true))::float8 END`;

/** A coordinate that was read and is a finite number (not NaN nor infinite). */
export const isFiniteNumber = (f: string) => `coalesce(${f} > '-Infinity'::float8 AND ${f} < 'Infinity'::float8, false)`;

/** Joins the non-NULL parts with `; ` (messages naming several columns). */
export const joinParts = (parts: readonly string[]) => `concat_ws('; ', ${parts.join(', ')})`;
