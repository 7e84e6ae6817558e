import { type DomainError, type Result, domainError, err, ok } from './result';

/**
 * Brazilian address parts as they appear in the Olist customer, seller and
 * geolocation files: a 5-digit zip-code prefix (the first five digits of a CEP),
 * a free-text city name and a federative unit (state) code.
 */

export const AddressErrorCode = {
  ZIP_EMPTY: 'ADDRESS.ZIP_EMPTY',
  ZIP_NOT_NUMERIC: 'ADDRESS.ZIP_NOT_NUMERIC',
  ZIP_TOO_SHORT: 'ADDRESS.ZIP_TOO_SHORT',
  ZIP_TOO_LONG: 'ADDRESS.ZIP_TOO_LONG',
  UF_EMPTY: 'ADDRESS.UF_EMPTY',
  UF_UNKNOWN: 'ADDRESS.UF_UNKNOWN',
  CITY_EMPTY: 'ADDRESS.CITY_EMPTY',
  CITY_NUMERIC: 'ADDRESS.CITY_NUMERIC',
  CITY_EMAIL: 'ADDRESS.CITY_EMAIL',
  CITY_IS_UF: 'ADDRESS.CITY_IS_UF',
} as const;

export type AddressErrorCode = (typeof AddressErrorCode)[keyof typeof AddressErrorCode];

// ---------------------------------------------------------------------------
// Zip-code prefix
// ---------------------------------------------------------------------------

/**
 * The first five digits of a CEP, always stored as exactly 5 ASCII digits.
 *
 * `parse` accepts:
 * - 5 digits (`01310`);
 * - 4 digits, left-padded with one zero (`1310` -> `01310`), because spreadsheet
 *   round-trips drop the leading zero of prefixes in São Paulo state;
 * - the float-like form of re-saved files (`1310.0`, `01310.00`): a trailing `.`
 *   followed only by zeros is removed before the checks above;
 * - a non-negative integer `number` (`1310`), read as its decimal digits;
 * - surrounding whitespace.
 *
 * 1-3 digits are refused (`ADDRESS.ZIP_TOO_SHORT`): a single padding zero is a known
 * artefact, more would be a guess.
 */
export class ZipPrefix {
  readonly value: string;

  private constructor(value: string) {
    this.value = value;
    Object.freeze(this);
  }

  static parse(input: string | number): Result<ZipPrefix, DomainError> {
    let text: string;
    if (typeof input === 'number') {
      if (!Number.isSafeInteger(input) || input < 0) {
        return err(
          domainError(AddressErrorCode.ZIP_NOT_NUMERIC, `zip prefix ${String(input)} is not a non-negative integer`),
        );
      }
      text = String(input);
    } else if (typeof input === 'string') {
      text = input.trim().replace(/^(\d+)\.0+$/, '$1');
    } else {
      return err(domainError(AddressErrorCode.ZIP_NOT_NUMERIC, `expected a string or number, got ${typeof input}`));
    }

    if (text === '') {
      return err(domainError(AddressErrorCode.ZIP_EMPTY, 'zip prefix is empty'));
    }
    if (!/^\d+$/.test(text)) {
      return err(domainError(AddressErrorCode.ZIP_NOT_NUMERIC, `zip prefix "${text}" is not all digits`));
    }
    if (text.length > 5) {
      return err(domainError(AddressErrorCode.ZIP_TOO_LONG, `zip prefix "${text}" has more than 5 digits`));
    }
    if (text.length < 4) {
      return err(domainError(AddressErrorCode.ZIP_TOO_SHORT, `zip prefix "${text}" has fewer than 4 digits`));
    }
    return ok(new ZipPrefix(text.padStart(5, '0')));
  }

  equals(other: ZipPrefix): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }

  toJSON(): string {
    return this.value;
  }
}

// ---------------------------------------------------------------------------
// Federative units
// ---------------------------------------------------------------------------

/** The 26 states plus the Federal District, as upper-case two-letter codes. */
export const UF_CODES = [
  'AC', 'AL', 'AP', 'AM', 'BA', 'CE', 'DF', 'ES', 'GO', 'MA', 'MT', 'MS', 'MG', 'PA',
  'PB', 'PR', 'PE', 'PI', 'RJ', 'RN', 'RS', 'RO', 'RR', 'SC', 'SP', 'SE', 'TO',
] as const;

/** A Brazilian federative unit code, e.g. `'SP'`. */
export type UF = (typeof UF_CODES)[number];

const UF_SET: ReadonlySet<string> = new Set(UF_CODES);

/** Companion of the {@link UF} type: the code list, a type guard and a parser. */
export const UF = Object.freeze({
  codes: UF_CODES,

  /** True for an exact, upper-case UF code. */
  is(value: unknown): value is UF {
    return typeof value === 'string' && UF_SET.has(value);
  },

  /** Case-insensitive after trimming: `' sp '` -> `'SP'`. */
  parse(input: string): Result<UF, DomainError> {
    if (typeof input !== 'string' || input.trim() === '') {
      return err(domainError(AddressErrorCode.UF_EMPTY, 'state code is empty'));
    }
    const candidate = input.trim().toUpperCase();
    if (!UF.is(candidate)) {
      return err(domainError(AddressErrorCode.UF_UNKNOWN, `"${input.trim()}" is not a Brazilian state code`));
    }
    return ok(candidate);
  },
});

// ---------------------------------------------------------------------------
// City names
// ---------------------------------------------------------------------------

const UF_ALTERNATION = UF_CODES.map((c) => c.toLowerCase()).join('|');
/** ` / sp`, `/sp`, ` - sp`, `, sp` at the end of an already lower-cased city name. */
const TRAILING_UF = new RegExp(`(?:\\s*\\/\\s*|\\s+-\\s*|\\s*,\\s*)(?:${UF_ALTERNATION})$`);
const LOWER_UF_SET: ReadonlySet<string> = new Set(UF_CODES.map((c) => c.toLowerCase()));

/**
 * Normalises a free-text city name into a comparison key.
 *
 * Steps: lower-case; strip accents (NFD, then remove combining marks); map the
 * typographic apostrophes (acute and grave accents, curly quotes) to `'`; collapse runs of whitespace to one space
 * and trim; remove a trailing state suffix written as ` / sp`, `/sp`, ` - sp` or
 * `, sp` (any UF code; repeated until none is left). A hyphen needs whitespace before
 * it to count as a separator, so hyphenated names such as `embu-guacu` are untouched.
 *
 * Flagged as malformed (the Olist seller file contains each of these):
 * - `ADDRESS.CITY_EMPTY`   — nothing left after normalisation;
 * - `ADDRESS.CITY_NUMERIC` — only digits, e.g. `04482255` (a CEP typed as a city);
 * - `ADDRESS.CITY_EMAIL`   — contains `@`, e.g. `vendas@creditparts.com.br`;
 * - `ADDRESS.CITY_IS_UF`   — the whole value is a state code, e.g. `sp / sp` or `sp`.
 *
 * The function is idempotent: normalising an accepted result returns it unchanged.
 */
export function normalizeCity(raw: string): Result<string, DomainError> {
  if (typeof raw !== 'string') {
    return err(domainError(AddressErrorCode.CITY_EMPTY, `expected a string, got ${typeof raw}`));
  }
  let city = raw
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[\u00B4\u0060\u2018\u2019]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();

  for (let previous = ''; previous !== city; ) {
    previous = city;
    city = city.replace(TRAILING_UF, '').trim();
  }

  if (city === '') {
    return err(domainError(AddressErrorCode.CITY_EMPTY, 'city name is empty'));
  }
  if (/^\d+$/.test(city)) {
    return err(domainError(AddressErrorCode.CITY_NUMERIC, `city "${city}" is only digits`));
  }
  if (city.includes('@')) {
    return err(domainError(AddressErrorCode.CITY_EMAIL, `city "${city}" looks like an e-mail address`));
  }
  if (LOWER_UF_SET.has(city)) {
    return err(domainError(AddressErrorCode.CITY_IS_UF, `city "${city}" is a state code, not a city`));
  }
  return ok(city);
}

// ---------------------------------------------------------------------------
// Address
// ---------------------------------------------------------------------------

export interface AddressInput {
  readonly zipPrefix: string | number;
  readonly city: string;
  readonly state: string;
}

/** A validated address: zip prefix, normalised city key and state code. */
export class Address {
  readonly zipPrefix: ZipPrefix;
  readonly city: string;
  readonly state: UF;

  private constructor(zipPrefix: ZipPrefix, city: string, state: UF) {
    this.zipPrefix = zipPrefix;
    this.city = city;
    this.state = state;
    Object.freeze(this);
  }

  /**
   * Validates the three parts in the order zip prefix, city, state and returns the
   * first error found. The city is stored in its {@link normalizeCity} form.
   */
  static create(input: AddressInput): Result<Address, DomainError> {
    const zipPrefix = ZipPrefix.parse(input.zipPrefix);
    if (!zipPrefix.ok) return zipPrefix;
    const city = normalizeCity(input.city);
    if (!city.ok) return city;
    const state = UF.parse(input.state);
    if (!state.ok) return state;
    return ok(new Address(zipPrefix.value, city.value, state.value));
  }

  equals(other: Address): boolean {
    return this.zipPrefix.equals(other.zipPrefix) && this.city === other.city && this.state === other.state;
  }

  toJSON(): { zipPrefix: string; city: string; state: UF } {
    return { zipPrefix: this.zipPrefix.value, city: this.city, state: this.state };
  }
}
