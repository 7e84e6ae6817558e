import fc from 'fast-check';
import { DateRange, DateRangeErrorCode, calendarDaysBetween } from './date-range';
import { unwrap } from './result';

const d = (iso: string) => new Date(iso);
const range = (start: string, end: string) => unwrap(DateRange.create(d(start), d(end)));

describe('DateRange', () => {
  describe('create', () => {
    it('accepts end after start and end equal to start', () => {
      const r = range('2017-01-01T00:00:00Z', '2017-02-01T00:00:00Z');
      expect(r.start.toISOString()).toBe('2017-01-01T00:00:00.000Z');
      expect(r.end.toISOString()).toBe('2017-02-01T00:00:00.000Z');
      expect(range('2017-01-01T00:00:00Z', '2017-01-01T00:00:00Z').isEmpty()).toBe(true);
      expect(Object.isFrozen(r)).toBe(true);
    });

    it('refuses end before start', () => {
      const r = DateRange.create(d('2017-02-01T00:00:00Z'), d('2017-01-31T23:59:59Z'));
      expect(r.ok ? 'ok' : r.error.code).toBe(DateRangeErrorCode.END_BEFORE_START);
    });

    it.each([
      [new Date(NaN), d('2017-01-01T00:00:00Z')],
      [d('2017-01-01T00:00:00Z'), d('not a date')],
      ['2017-01-01' as unknown as Date, d('2017-01-02T00:00:00Z')],
    ])('refuses invalid dates (%p, %p)', (start, end) => {
      const r = DateRange.create(start, end);
      expect(r.ok ? 'ok' : r.error.code).toBe(DateRangeErrorCode.INVALID_DATE);
    });

    it('cannot be mutated through the returned dates', () => {
      const input = d('2017-01-01T00:00:00Z');
      const r = unwrap(DateRange.create(input, d('2017-01-02T00:00:00Z')));
      input.setUTCFullYear(2000);
      r.start.setUTCFullYear(1999);
      expect(r.start.toISOString()).toBe('2017-01-01T00:00:00.000Z');
    });
  });

  describe('contains (half-open [start, end))', () => {
    const jan = range('2017-01-01T00:00:00Z', '2017-02-01T00:00:00Z');

    it.each([
      ['2017-01-01T00:00:00.000Z', true],
      ['2017-01-15T12:00:00.000Z', true],
      ['2017-01-31T23:59:59.999Z', true],
      ['2017-02-01T00:00:00.000Z', false],
      ['2016-12-31T23:59:59.999Z', false],
    ])('%s -> %p', (iso, expected) => {
      expect(jan.contains(d(iso))).toBe(expected);
    });

    it('an empty range contains nothing and an invalid date is never contained', () => {
      expect(range('2017-01-01T00:00:00Z', '2017-01-01T00:00:00Z').contains(d('2017-01-01T00:00:00Z'))).toBe(false);
      expect(jan.contains(new Date(NaN))).toBe(false);
    });
  });

  describe('overlaps', () => {
    const jan = range('2017-01-01T00:00:00Z', '2017-02-01T00:00:00Z');

    it.each([
      ['adjacent after', range('2017-02-01T00:00:00Z', '2017-03-01T00:00:00Z'), false],
      ['adjacent before', range('2016-12-01T00:00:00Z', '2017-01-01T00:00:00Z'), false],
      ['sharing one millisecond', range('2017-01-31T23:59:59.999Z', '2017-03-01T00:00:00Z'), true],
      ['inside', range('2017-01-10T00:00:00Z', '2017-01-11T00:00:00Z'), true],
      ['enclosing', range('2016-01-01T00:00:00Z', '2018-01-01T00:00:00Z'), true],
      ['itself', jan, true],
      ['disjoint', range('2018-01-01T00:00:00Z', '2018-02-01T00:00:00Z'), false],
      ['empty inside', range('2017-01-10T00:00:00Z', '2017-01-10T00:00:00Z'), false],
    ])('%s -> %p', (_name, other, expected) => {
      expect(jan.overlaps(other)).toBe(expected);
      expect(other.overlaps(jan)).toBe(expected);
    });
  });

  it('durationDays is fractional', () => {
    expect(range('2017-01-01T00:00:00Z', '2017-01-02T12:00:00Z').durationDays()).toBe(1.5);
    expect(range('2017-01-01T00:00:00Z', '2017-01-01T00:00:00Z').durationDays()).toBe(0);
    expect(range('2016-02-01T00:00:00Z', '2016-03-01T00:00:00Z').durationDays()).toBe(29);
  });

  describe('months (UTC)', () => {
    it.each([
      ['2017-01-01T00:00:00Z', '2017-02-01T00:00:00Z', ['2017-01']],
      ['2017-01-15T00:00:00Z', '2017-02-01T00:00:00.001Z', ['2017-01', '2017-02']],
      ['2016-11-20T10:00:00Z', '2017-02-03T00:00:00Z', ['2016-11', '2016-12', '2017-01', '2017-02']],
      ['2017-03-10T00:00:00Z', '2017-03-10T00:00:01Z', ['2017-03']],
      ['2017-03-10T00:00:00Z', '2017-03-10T00:00:00Z', []],
      // 21:30 in São Paulo (UTC-3) on Jan 31 is already February in UTC.
      ['2017-02-01T00:30:00Z', '2017-02-02T00:00:00Z', ['2017-02']],
      ['0999-12-01T00:00:00Z', '1000-01-02T00:00:00Z', ['0999-12', '1000-01']],
    ])('[%s, %s) -> %j', (start, end, expected) => {
      expect(range(start, end).months()).toEqual(expected);
    });
  });

  it('equals and toJSON', () => {
    const a = range('2017-01-01T00:00:00Z', '2017-02-01T00:00:00Z');
    expect(a.equals(range('2017-01-01T00:00:00Z', '2017-02-01T00:00:00Z'))).toBe(true);
    expect(a.equals(range('2017-01-01T00:00:00Z', '2017-02-02T00:00:00Z'))).toBe(false);
    expect(JSON.stringify(a)).toBe('{"start":"2017-01-01T00:00:00.000Z","end":"2017-02-01T00:00:00.000Z"}');
  });

  describe('properties', () => {
    // 1970 .. 2100, millisecond precision
    const instant = fc.integer({ min: 0, max: 4_102_444_800_000 });
    const anyRange = fc.tuple(instant, instant).map(([x, y]) => range(new Date(Math.min(x, y)).toISOString(), new Date(Math.max(x, y)).toISOString()));

    it('contains agrees with start <= t < end', () => {
      fc.assert(
        fc.property(anyRange, instant, (r, t) => {
          const expected = t >= r.start.getTime() && t < r.end.getTime();
          expect(r.contains(new Date(t))).toBe(expected);
        }),
      );
    });

    it('contains the start of a non-empty range, never its end', () => {
      fc.assert(
        fc.property(anyRange, (r) => {
          expect(r.contains(r.end)).toBe(false);
          expect(r.contains(r.start)).toBe(!r.isEmpty());
        }),
      );
    });

    it('overlaps is symmetric and matches a shared contained instant', () => {
      fc.assert(
        fc.property(anyRange, anyRange, (a, b) => {
          expect(a.overlaps(b)).toBe(b.overlaps(a));
          const latestStart = new Date(Math.max(a.start.getTime(), b.start.getTime()));
          expect(a.overlaps(b)).toBe(a.contains(latestStart) && b.contains(latestStart));
        }),
      );
    });

    it('months are consecutive and include the months of start and last instant', () => {
      fc.assert(
        fc.property(anyRange, (r) => {
          const months = r.months();
          if (r.isEmpty()) {
            expect(months).toEqual([]);
            return;
          }
          expect(months[0]).toBe(r.start.toISOString().slice(0, 7));
          expect(months[months.length - 1]).toBe(new Date(r.end.getTime() - 1).toISOString().slice(0, 7));
          for (let i = 1; i < months.length; i++) {
            const [y, m] = months[i - 1].split('-').map(Number);
            const next = m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
            expect(months[i]).toBe(next);
          }
        }),
      );
    });
  });
});

describe('calendarDaysBetween', () => {
  it.each([
    ['2018-01-01T23:59:00Z', '2018-01-02T00:01:00Z', 1],
    ['2018-01-02T00:01:00Z', '2018-01-01T23:59:00Z', -1],
    ['2018-01-01T00:00:00Z', '2018-01-01T23:59:59.999Z', 0],
    ['2018-02-28T12:00:00Z', '2018-03-01T00:00:00Z', 1],
    ['2016-02-28T12:00:00Z', '2016-03-01T00:00:00Z', 2],
    ['2017-12-31T00:00:00Z', '2018-01-01T00:00:00Z', 1],
    ['1969-12-31T23:00:00Z', '1970-01-01T01:00:00Z', 1],
  ])('%s -> %s is %p', (a, b, expected) => {
    expect(calendarDaysBetween(d(a), d(b))).toBe(expected);
  });

  it('flags a delivery on the day after the estimate as late', () => {
    const estimated = d('2018-03-12T00:00:00Z');
    expect(calendarDaysBetween(estimated, d('2018-03-12T22:10:00Z')) > 0).toBe(false);
    expect(calendarDaysBetween(estimated, d('2018-03-13T08:00:00Z')) > 0).toBe(true);
  });

  it('throws on invalid dates', () => {
    expect(() => calendarDaysBetween(new Date(NaN), d('2018-01-01T00:00:00Z'))).toThrow(RangeError);
  });

  it('property: antisymmetric and equal to the difference of UTC dates', () => {
    const instant = fc.integer({ min: -2_208_988_800_000, max: 4_102_444_800_000 });
    fc.assert(
      fc.property(instant, instant, (x, y) => {
        const a = new Date(x);
        const b = new Date(y);
        expect(calendarDaysBetween(a, b)).toBe(-calendarDaysBetween(b, a) || 0);
        const utcMidnight = (t: Date) => Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate());
        expect(calendarDaysBetween(a, b)).toBe((utcMidnight(b) - utcMidnight(a)) / 86_400_000);
      }),
    );
  });
});
