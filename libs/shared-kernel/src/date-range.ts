import { type DomainError, type Result, domainError, err, ok } from './result';

/** Time intervals and calendar-day arithmetic, always in UTC. */

export const DateRangeErrorCode = {
  INVALID_DATE: 'DATE_RANGE.INVALID_DATE',
  END_BEFORE_START: 'DATE_RANGE.END_BEFORE_START',
} as const;

export type DateRangeErrorCode = (typeof DateRangeErrorCode)[keyof typeof DateRangeErrorCode];

const MS_PER_DAY = 86_400_000;

function isValidDate(value: unknown): value is Date {
  return value instanceof Date && !Number.isNaN(value.getTime());
}

/**
 * The half-open interval [start, end): `start` belongs to the range, `end` does not.
 * Adjacent ranges such as [Jan 1, Feb 1) and [Feb 1, Mar 1) therefore neither
 * overlap nor leave a gap. `start === end` is allowed and gives an empty range.
 *
 * The bounds are stored as epoch milliseconds; the `start`/`end` getters return
 * fresh Date objects, so callers cannot mutate the range.
 */
export class DateRange {
  private readonly startMs: number;
  private readonly endMs: number;

  private constructor(startMs: number, endMs: number) {
    this.startMs = startMs;
    this.endMs = endMs;
    Object.freeze(this);
  }

  static create(start: Date, end: Date): Result<DateRange, DomainError> {
    if (!isValidDate(start) || !isValidDate(end)) {
      return err(domainError(DateRangeErrorCode.INVALID_DATE, 'start and end must be valid Date objects'));
    }
    if (end.getTime() < start.getTime()) {
      return err(
        domainError(
          DateRangeErrorCode.END_BEFORE_START,
          `end ${end.toISOString()} is before start ${start.toISOString()}`,
        ),
      );
    }
    return ok(new DateRange(start.getTime(), end.getTime()));
  }

  get start(): Date {
    return new Date(this.startMs);
  }

  get end(): Date {
    return new Date(this.endMs);
  }

  isEmpty(): boolean {
    return this.startMs === this.endMs;
  }

  /** start <= date < end. An invalid date is never contained. */
  contains(date: Date): boolean {
    if (!isValidDate(date)) return false;
    const t = date.getTime();
    return t >= this.startMs && t < this.endMs;
  }

  /** True when the ranges share at least one instant; an empty range overlaps nothing. */
  overlaps(other: DateRange): boolean {
    return this.startMs < other.endMs && other.startMs < this.endMs && !this.isEmpty() && !other.isEmpty();
  }

  /** Length in days of 24 h, fractional: 36 hours -> 1.5. */
  durationDays(): number {
    return (this.endMs - this.startMs) / MS_PER_DAY;
  }

  /**
   * The UTC calendar months (`'YYYY-MM'`) the range touches, in order. Because the
   * end is exclusive, a range ending exactly at midnight on the 1st does not include
   * that month; an empty range covers no month.
   */
  months(): string[] {
    if (this.isEmpty()) return [];
    const first = new Date(this.startMs);
    const last = new Date(this.endMs - 1);
    let year = first.getUTCFullYear();
    let month = first.getUTCMonth();
    const lastYear = last.getUTCFullYear();
    const lastMonth = last.getUTCMonth();
    const result: string[] = [];
    while (year < lastYear || (year === lastYear && month <= lastMonth)) {
      result.push(formatYearMonth(year, month));
      month += 1;
      if (month === 12) {
        month = 0;
        year += 1;
      }
    }
    return result;
  }

  equals(other: DateRange): boolean {
    return this.startMs === other.startMs && this.endMs === other.endMs;
  }

  toJSON(): { start: string; end: string } {
    return { start: this.start.toISOString(), end: this.end.toISOString() };
  }
}

function formatYearMonth(year: number, monthIndex: number): string {
  // Years outside 0000-9999 use the ISO 8601 expanded form, as Date#toISOString does.
  let yyyy: string;
  if (year < 0) yyyy = `-${String(-year).padStart(6, '0')}`;
  else if (year > 9999) yyyy = `+${String(year).padStart(6, '0')}`;
  else yyyy = String(year).padStart(4, '0');
  return `${yyyy}-${String(monthIndex + 1).padStart(2, '0')}`;
}

/**
 * Difference in UTC calendar days from `a` to `b`, ignoring the time of day:
 * positive when `b` falls on a later day. 2018-01-01T23:59Z -> 2018-01-02T00:01Z is 1.
 * An order is delivered late when `calendarDaysBetween(estimated, delivered) > 0`.
 *
 * @throws RangeError for an invalid date (a programming fault).
 */
export function calendarDaysBetween(a: Date, b: Date): number {
  if (!isValidDate(a) || !isValidDate(b)) {
    throw new RangeError('calendarDaysBetween expects valid Date objects');
  }
  return utcDayNumber(b) - utcDayNumber(a);
}

function utcDayNumber(date: Date): number {
  return Math.floor(date.getTime() / MS_PER_DAY);
}
