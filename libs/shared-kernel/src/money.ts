import { type DomainError, type Result, domainError, err, ok } from './result';

/**
 * Money in Brazilian reais, held as an integer number of centavos.
 *
 * - The amount is a JS safe integer (|centavos| <= Number.MAX_SAFE_INTEGER);
 *   every operation that would leave that range throws a RangeError.
 * - Parsing works on the decimal digits of the text, never through floating point.
 * - Instances are frozen; every operation returns a new Money.
 */

export const MoneyErrorCode = {
  EMPTY: 'MONEY.EMPTY',
  NOT_A_NUMBER: 'MONEY.NOT_A_NUMBER',
  TOO_PRECISE: 'MONEY.TOO_PRECISE',
  OUT_OF_RANGE: 'MONEY.OUT_OF_RANGE',
} as const;

export type MoneyErrorCode = (typeof MoneyErrorCode)[keyof typeof MoneyErrorCode];

export type Currency = 'BRL';

const MAX_SAFE_DIGITS = String(Number.MAX_SAFE_INTEGER); // '9007199254740991'

/** `[sign] digits [. digits]`; anything else (exponent, comma, NaN, Infinity, `.5`, `5.`) is refused. */
const PLAIN_DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

export class Money {
  readonly currency: Currency = 'BRL';
  readonly centavos: number;

  private constructor(centavos: number) {
    // Normalise -0 so that equality and formatting never see it.
    this.centavos = centavos === 0 ? 0 : centavos;
    Object.freeze(this);
  }

  /** @throws TypeError if `centavos` is not a safe integer (a programming fault). */
  static ofCentavos(centavos: number): Money {
    if (!Number.isSafeInteger(centavos)) {
      throw new TypeError(`Money.ofCentavos expects a safe integer, got ${String(centavos)}`);
    }
    return new Money(centavos);
  }

  static zero(): Money {
    return ZERO;
  }

  /** Sums a list of amounts; the empty list sums to zero. */
  static sum(amounts: readonly Money[]): Money {
    return amounts.reduce((acc, m) => acc.add(m), ZERO);
  }

  /**
   * Parses a price/freight value as written in the Olist files.
   *
   * Accepted: optional surrounding whitespace, an optional `+`/`-` sign, at least one
   * integer digit, and optionally a `.` followed by at least one digit, e.g. `29.99`,
   * `199.0`, `0.00`, `7`, `-3.5`. Digits beyond the second decimal are accepted only
   * when they are all zeros (`1.500` is exactly 1.50); otherwise the value is refused
   * with `MONEY.TOO_PRECISE` (`1.005`).
   *
   * Refused with `MONEY.NOT_A_NUMBER`: exponent notation (`1e3`), decimal commas or
   * thousands separators (`1,5`, `1,000.00`), `NaN`, `Infinity`, and a missing integer or
   * fraction part (`.5`, `5.`): the files never write those forms, so they point at a
   * damaged field rather than a legitimate price.
   */
  static parse(text: string): Result<Money, DomainError> {
    if (typeof text !== 'string') {
      return err(domainError(MoneyErrorCode.NOT_A_NUMBER, `expected a string, got ${typeof text}`));
    }
    const trimmed = text.trim();
    if (trimmed === '') {
      return err(domainError(MoneyErrorCode.EMPTY, 'money value is empty'));
    }
    const match = PLAIN_DECIMAL.exec(trimmed);
    if (!match) {
      return err(domainError(MoneyErrorCode.NOT_A_NUMBER, describeMalformed(trimmed)));
    }
    const [, sign, integerPart, fractionPart = ''] = match;
    if (fractionPart.length > 2 && /[^0]/.test(fractionPart.slice(2))) {
      return err(
        domainError(MoneyErrorCode.TOO_PRECISE, `"${trimmed}" has more than 2 decimal places`),
      );
    }
    const centavoDigits = stripLeadingZeros(integerPart + fractionPart.slice(0, 2).padEnd(2, '0'));
    const magnitude = digitsToSafeInteger(centavoDigits);
    if (magnitude === undefined) {
      return err(
        domainError(MoneyErrorCode.OUT_OF_RANGE, `"${trimmed}" exceeds the representable range`),
      );
    }
    return ok(new Money(sign === '-' ? -magnitude : magnitude));
  }

  add(other: Money): Money {
    return Money.checked(this.centavos + other.centavos, 'add');
  }

  subtract(other: Money): Money {
    return Money.checked(this.centavos - other.centavos, 'subtract');
  }

  negate(): Money {
    return new Money(-this.centavos);
  }

  /**
   * Multiplies by an integer or decimal factor and rounds to the centavo
   * half-up, away from zero (2.5 -> 3, -2.5 -> -3).
   *
   * A decimal factor is taken at its shortest decimal representation, i.e. what
   * `String(factor)` prints: `0.1` means exactly one tenth, not the nearest binary
   * double. The product itself is computed on decimal digits, so no floating-point
   * error can move a result across a rounding boundary.
   *
   * @throws RangeError for a non-finite factor or a result outside the safe range.
   */
  multiply(factor: number): Money {
    if (!Number.isFinite(factor)) {
      throw new RangeError(`Money.multiply expects a finite factor, got ${String(factor)}`);
    }
    if (Number.isInteger(factor)) {
      return Money.checked(this.centavos * factor, 'multiply');
    }
    const { negative: factorNegative, digits, scale } = decimalDigitsOf(factor);
    const product = multiplyDigitStrings(String(Math.abs(this.centavos)), digits);
    const rounded = roundHalfUpAtScale(product, scale);
    const magnitude = digitsToSafeInteger(rounded);
    if (magnitude === undefined) {
      throw new RangeError('Money.multiply: result exceeds the safe integer range');
    }
    const negative = this.centavos < 0 !== factorNegative;
    return new Money(negative ? -magnitude : magnitude);
  }

  /**
   * Distributes this amount over parts proportional to `ratios` without losing or
   * inventing a centavo: the parts always sum to exactly this amount.
   *
   * Largest-remainder method: every part first gets the floor of its exact share, then
   * the centavos left over go one by one to the parts with the largest fractional
   * remainders (ties go to the earlier part). A part with ratio 0 always receives zero.
   * A negative amount is allocated as the mirror image of its absolute value.
   *
   * Integer ratios are handled in exact integer arithmetic whenever the intermediate
   * products stay safe; other ratios use floating-point shares, which may place a
   * leftover centavo differently in near-tie cases but never breaks the sum.
   *
   * @throws RangeError if `ratios` is empty, contains a negative or non-finite value,
   *   or is all zeros.
   */
  allocate(ratios: readonly number[]): Money[] {
    if (ratios.length === 0) {
      throw new RangeError('Money.allocate expects at least one ratio');
    }
    for (const r of ratios) {
      if (!Number.isFinite(r) || r < 0) {
        throw new RangeError(`Money.allocate expects finite, non-negative ratios, got ${String(r)}`);
      }
    }
    if (!ratios.some((r) => r > 0)) {
      throw new RangeError('Money.allocate expects at least one ratio greater than zero');
    }
    const negative = this.centavos < 0;
    const parts = allocateNonNegative(Math.abs(this.centavos), ratios);
    return parts.map((p) => new Money(negative ? -p : p));
  }

  /**
   * Splits into `parts` equal shares; leftover centavos go to the first shares
   * (`R$ 1.00` in 3 -> 0.34, 0.33, 0.33).
   *
   * @throws RangeError unless `parts` is a positive safe integer.
   */
  split(parts: number): Money[] {
    if (!Number.isSafeInteger(parts) || parts < 1) {
      throw new RangeError(`Money.split expects a positive integer, got ${String(parts)}`);
    }
    return this.allocate(new Array<number>(parts).fill(1));
  }

  equals(other: Money): boolean {
    return this.centavos === other.centavos;
  }

  /** -1, 0 or 1; usable directly as an `Array.prototype.sort` comparator. */
  compare(other: Money): -1 | 0 | 1 {
    if (this.centavos < other.centavos) return -1;
    if (this.centavos > other.centavos) return 1;
    return 0;
  }

  isZero(): boolean {
    return this.centavos === 0;
  }

  isNegative(): boolean {
    return this.centavos < 0;
  }

  isPositive(): boolean {
    return this.centavos > 0;
  }

  /** Always two decimals, `.` separator, no grouping: `29.99`, `0.00`, `-0.05`. */
  toDecimalString(): string {
    const magnitude = String(Math.abs(this.centavos)).padStart(3, '0');
    const reais = magnitude.slice(0, -2);
    const cents = magnitude.slice(-2);
    return `${this.centavos < 0 ? '-' : ''}${reais}.${cents}`;
  }

  toJSON(): string {
    return this.toDecimalString();
  }

  toString(): string {
    return this.toDecimalString();
  }

  /** The amount in reais as a JS number. For display and charts only, never for arithmetic. */
  toNumber(): number {
    return this.centavos / 100;
  }

  private static checked(centavos: number, operation: string): Money {
    if (!Number.isSafeInteger(centavos)) {
      throw new RangeError(`Money.${operation}: result exceeds the safe integer range`);
    }
    return new Money(centavos);
  }
}

const ZERO = Money.ofCentavos(0);

function describeMalformed(text: string): string {
  if (/^[+-]?(\d+\.?\d*|\.\d+)[eE]/.test(text)) {
    return `"${text}" uses exponent notation, which is not accepted`;
  }
  if (text.includes(',')) {
    return `"${text}" contains a comma; only "." is accepted as the decimal separator`;
  }
  return `"${text}" is not a plain decimal number`;
}

function stripLeadingZeros(digits: string): string {
  const stripped = digits.replace(/^0+/, '');
  return stripped === '' ? '0' : stripped;
}

/** Converts a string of ASCII digits to a number, or undefined if it exceeds MAX_SAFE_INTEGER. */
function digitsToSafeInteger(digits: string): number | undefined {
  const normalised = stripLeadingZeros(digits);
  if (
    normalised.length > MAX_SAFE_DIGITS.length ||
    (normalised.length === MAX_SAFE_DIGITS.length && normalised > MAX_SAFE_DIGITS)
  ) {
    return undefined;
  }
  let value = 0;
  for (let i = 0; i < normalised.length; i++) {
    value = value * 10 + (normalised.charCodeAt(i) - 48);
  }
  return value;
}

/**
 * The shortest decimal representation of a finite number as `digits * 10^-scale`.
 * `scale` may be negative for numbers printed with a positive exponent.
 */
function decimalDigitsOf(value: number): { negative: boolean; digits: string; scale: number } {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (!match) {
    throw new RangeError(`cannot read the decimal digits of ${String(value)}`);
  }
  const [, sign, integerPart, fractionPart = '', exponent = '0'] = match;
  return {
    negative: sign === '-',
    digits: stripLeadingZeros(integerPart + fractionPart),
    scale: fractionPart.length - Number(exponent),
  };
}

/** Schoolbook multiplication of two non-negative integers given as digit strings. */
function multiplyDigitStrings(a: string, b: string): string {
  const product = new Array<number>(a.length + b.length).fill(0);
  for (let i = a.length - 1; i >= 0; i--) {
    const da = a.charCodeAt(i) - 48;
    for (let j = b.length - 1; j >= 0; j--) {
      const position = i + j + 1;
      const sum = product[position] + da * (b.charCodeAt(j) - 48);
      product[position] = sum % 10;
      product[position - 1] += Math.floor(sum / 10);
    }
  }
  return stripLeadingZeros(product.join(''));
}

/** Divides `digits` by 10^scale and rounds half-up (on a magnitude, i.e. away from zero). */
function roundHalfUpAtScale(digits: string, scale: number): string {
  if (scale <= 0) {
    return digits === '0' ? '0' : digits + '0'.repeat(-scale);
  }
  const padded = digits.padStart(scale + 1, '0');
  const kept = padded.slice(0, padded.length - scale);
  const firstDropped = padded.charCodeAt(padded.length - scale) - 48;
  return firstDropped >= 5 ? incrementDigitString(kept) : stripLeadingZeros(kept);
}

function incrementDigitString(digits: string): string {
  const chars = digits.split('');
  let i = chars.length - 1;
  while (i >= 0 && chars[i] === '9') {
    chars[i] = '0';
    i--;
  }
  if (i < 0) return stripLeadingZeros('1' + chars.join(''));
  chars[i] = String.fromCharCode(chars[i].charCodeAt(0) + 1);
  return stripLeadingZeros(chars.join(''));
}

/** Largest-remainder allocation of a non-negative integer total; see Money.allocate. */
function allocateNonNegative(total: number, ratios: readonly number[]): number[] {
  const count = ratios.length;
  const shares = new Array<number>(count).fill(0);
  // Remainders are only compared with each other, so any common scale will do.
  const remainders = new Array<number>(count).fill(0);

  const maxRatio = ratios.reduce((acc, r) => (r > acc ? r : acc), 0);
  const allIntegers = ratios.every((r) => Number.isInteger(r));
  const ratioSum = ratios.reduce((acc, r) => acc + r, 0);
  const exact =
    allIntegers && Number.isSafeInteger(ratioSum) && Number.isSafeInteger(total * maxRatio);

  if (exact) {
    for (let i = 0; i < count; i++) {
      const numerator = total * ratios[i];
      const remainder = numerator % ratioSum;
      shares[i] = (numerator - remainder) / ratioSum;
      remainders[i] = remainder;
    }
  } else {
    // Scale ratios into [0, 1] first so their sum cannot overflow.
    const scaled = ratios.map((r) => r / maxRatio);
    const scaledSum = scaled.reduce((acc, r) => acc + r, 0);
    for (let i = 0; i < count; i++) {
      const share = (total * scaled[i]) / scaledSum;
      shares[i] = Math.floor(share);
      remainders[i] = share - shares[i];
    }
  }

  // Only parts with a positive ratio may receive leftover centavos.
  const order = ratios
    .map((r, i) => ({ i, r }))
    .filter(({ r }) => r > 0)
    .map(({ i }) => i)
    .sort((x, y) => remainders[y] - remainders[x] || x - y);

  let leftover = total - shares.reduce((acc, s) => acc + s, 0);
  // In exact mode 0 <= leftover < number of positive ratios; the loops also absorb
  // any drift the floating-point path could introduce.
  while (leftover > 0) {
    for (const i of order) {
      if (leftover === 0) break;
      shares[i] += 1;
      leftover -= 1;
    }
  }
  while (leftover < 0) {
    for (let k = order.length - 1; k >= 0 && leftover < 0; k--) {
      const i = order[k];
      if (shares[i] > 0) {
        shares[i] -= 1;
        leftover += 1;
      }
    }
  }
  return shares;
}
