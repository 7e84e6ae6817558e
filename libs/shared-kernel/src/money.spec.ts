import fc from 'fast-check';
import { Money, MoneyErrorCode } from './money';
import { unwrap } from './result';

const cents = (n: number) => Money.ofCentavos(n);
const parseCentavos = (text: string) => {
  const r = Money.parse(text);
  return r.ok ? r.value.centavos : r.error.code;
};
const centavosOf = (parts: Money[]) => parts.map((p) => p.centavos);

/** Amounts small enough that sums/differences of two stay safe. */
const amount = fc.integer({ min: -(2 ** 50), max: 2 ** 50 }).map(cents);

describe('Money', () => {
  describe('construction', () => {
    it('holds integer centavos in BRL', () => {
      const m = cents(2999);
      expect(m.centavos).toBe(2999);
      expect(m.currency).toBe('BRL');
      expect(Object.isFrozen(m)).toBe(true);
    });

    it('zero() is zero', () => {
      expect(Money.zero().centavos).toBe(0);
      expect(Money.zero().isZero()).toBe(true);
    });

    it('normalises -0', () => {
      expect(Object.is(cents(-0).centavos, 0)).toBe(true);
      expect(cents(5).multiply(0).toDecimalString()).toBe('0.00');
      expect(cents(-5).multiply(0.01).toDecimalString()).toBe('0.00');
    });

    it.each([1.5, NaN, Infinity, -Infinity, 2 ** 53, Number.MAX_VALUE])(
      'ofCentavos(%p) throws (programming fault)',
      (n) => {
        expect(() => cents(n)).toThrow(TypeError);
      },
    );

    it('accepts the full safe range', () => {
      expect(cents(Number.MAX_SAFE_INTEGER).toDecimalString()).toBe('90071992547409.91');
      expect(cents(-Number.MAX_SAFE_INTEGER).toDecimalString()).toBe('-90071992547409.91');
    });

    it('sum() adds a list', () => {
      expect(Money.sum([cents(100), cents(250), cents(-50)]).centavos).toBe(300);
      expect(Money.sum([]).centavos).toBe(0);
    });
  });

  describe('parse', () => {
    it.each([
      ['29.99', 2999],
      ['199.0', 19900],
      ['0.00', 0],
      ['7', 700],
      ['0', 0],
      ['00012.5', 1250],
      ['6.3', 630],
      ['  13.99 ', 1399],
      ['\t1.01\n', 101],
      ['-3.50', -350],
      ['+3.50', 350],
      ['-0.00', 0],
      ['1.500', 150],
      ['2.0000', 200],
      ['6735.00', 673500],
      ['90071992547409.91', Number.MAX_SAFE_INTEGER],
      ['-90071992547409.91', -Number.MAX_SAFE_INTEGER],
    ])('parses %p as %p centavos', (text, expected) => {
      expect(parseCentavos(text)).toBe(expected);
    });

    it.each([
      ['', MoneyErrorCode.EMPTY],
      ['   ', MoneyErrorCode.EMPTY],
      ['1.005', MoneyErrorCode.TOO_PRECISE],
      ['29.999', MoneyErrorCode.TOO_PRECISE],
      ['0.0001', MoneyErrorCode.TOO_PRECISE],
      ['1e3', MoneyErrorCode.NOT_A_NUMBER],
      ['1E3', MoneyErrorCode.NOT_A_NUMBER],
      ['1.5e2', MoneyErrorCode.NOT_A_NUMBER],
      ['2e-2', MoneyErrorCode.NOT_A_NUMBER],
      ['NaN', MoneyErrorCode.NOT_A_NUMBER],
      ['Infinity', MoneyErrorCode.NOT_A_NUMBER],
      ['-Infinity', MoneyErrorCode.NOT_A_NUMBER],
      ['29,99', MoneyErrorCode.NOT_A_NUMBER],
      ['1,000.00', MoneyErrorCode.NOT_A_NUMBER],
      ['.5', MoneyErrorCode.NOT_A_NUMBER],
      ['5.', MoneyErrorCode.NOT_A_NUMBER],
      ['R$ 10.00', MoneyErrorCode.NOT_A_NUMBER],
      ['abc', MoneyErrorCode.NOT_A_NUMBER],
      ['1 000', MoneyErrorCode.NOT_A_NUMBER],
      ['- 5', MoneyErrorCode.NOT_A_NUMBER],
      ['--5', MoneyErrorCode.NOT_A_NUMBER],
      ['0x10', MoneyErrorCode.NOT_A_NUMBER],
      ['١٢', MoneyErrorCode.NOT_A_NUMBER],
      ['90071992547409.92', MoneyErrorCode.OUT_OF_RANGE],
      ['100000000000000000000', MoneyErrorCode.OUT_OF_RANGE],
    ])('refuses %p with %s', (text, code) => {
      expect(parseCentavos(text)).toBe(code);
    });

    it('explains exponent and comma refusals in the message', () => {
      const exponent = Money.parse('1e3');
      const comma = Money.parse('1,5');
      expect(exponent.ok ? '' : exponent.error.message).toMatch(/exponent/);
      expect(comma.ok ? '' : comma.error.message).toMatch(/comma/);
    });

    it('refuses non-string input at runtime', () => {
      const r = Money.parse(12 as unknown as string);
      expect(r.ok ? '' : r.error.code).toBe(MoneyErrorCode.NOT_A_NUMBER);
    });

    it('isNegative reports a parsed negative value', () => {
      expect(unwrap(Money.parse('-1.00')).isNegative()).toBe(true);
      expect(unwrap(Money.parse('1.00')).isNegative()).toBe(false);
      expect(unwrap(Money.parse('-0')).isNegative()).toBe(false);
    });
  });

  describe('arithmetic', () => {
    it('adds and subtracts', () => {
      expect(cents(2999).add(cents(1501)).centavos).toBe(4500);
      expect(cents(1000).subtract(cents(2550)).centavos).toBe(-1550);
    });

    it('negate flips the sign', () => {
      expect(cents(150).negate().centavos).toBe(-150);
      expect(Object.is(Money.zero().negate().centavos, 0)).toBe(true);
    });

    it('throws when leaving the safe range', () => {
      expect(() => cents(Number.MAX_SAFE_INTEGER).add(cents(1))).toThrow(RangeError);
      expect(() => cents(-Number.MAX_SAFE_INTEGER).subtract(cents(1))).toThrow(RangeError);
      expect(() => cents(Number.MAX_SAFE_INTEGER).multiply(2)).toThrow(RangeError);
      expect(() => cents(Number.MAX_SAFE_INTEGER).multiply(1.5)).toThrow(RangeError);
      expect(() => cents(1).multiply(1e300)).toThrow(RangeError);
    });

    it.each([
      [1000, 3, 3000],
      [1000, -2, -2000],
      [2999, 0, 0],
      [1000, 0.5, 500],
      [1999, 0.1, 200], // 199.9 -> 200
      [1005, 0.1, 101], // 100.5 -> 101 (half-up)
      [1015, 0.1, 102], // 101.5 -> 102 (half-up, not half-even)
      [-1005, 0.1, -101], // -100.5 -> -101 (away from zero)
      [1005, -0.1, -101],
      [-1005, -0.1, 101],
      [1004, 0.1, 100], // 100.4 -> 100
      [100, 1.15, 115], // 1.15 is taken as exactly 1.15, not 1.149999...
      [1, 0.5, 1], // 0.5 -> 1
      [1, 0.49, 0],
      [1, 1e-7, 0],
      [5000000, 1e-7, 1], // 0.5 -> 1
      [12345, 0.075, 926], // 925.875 -> 926
      [3, 1.5e21, 4500000000000000000000],
    ])('%p centavos x %p = %p centavos (half-up, away from zero)', (c, factor, expected) => {
      if (expected > Number.MAX_SAFE_INTEGER) {
        expect(() => cents(c).multiply(factor)).toThrow(RangeError);
      } else {
        expect(cents(c).multiply(factor).centavos).toBe(expected);
      }
    });

    it('multiply refuses non-finite factors', () => {
      expect(() => cents(1).multiply(NaN)).toThrow(RangeError);
      expect(() => cents(1).multiply(Infinity)).toThrow(RangeError);
    });
  });

  describe('allocate and split', () => {
    it.each([
      [100, [1, 1, 1], [34, 33, 33]],
      [100, [1, 1], [50, 50]],
      [5, [3, 7], [2, 3]], // 1.5 / 3.5: remainders tie at .5, the earlier part wins
      [1000, [70, 20, 10], [700, 200, 100]],
      [1001, [70, 20, 10], [701, 200, 100]],
      [-100, [1, 1, 1], [-34, -33, -33]],
      [100, [0, 1, 1], [0, 50, 50]],
      [101, [1, 0, 1], [51, 0, 50]],
      [1, [1, 1, 1], [1, 0, 0]],
      [0, [2, 5], [0, 0]],
      [100, [0.7, 0.3], [70, 30]],
      [2999, [0.5, 0.25, 0.25], [1499, 750, 750]], // remainders .5 .75 .75
      [10, [1, 2, 3, 4], [1, 2, 3, 4]],
      [11, [1, 2, 3, 4], [1, 2, 3, 5]], // remainders .1 .2 .3 .4 -> the largest wins
      [7, [5], [7]],
    ])('allocates %p over %j as %j', (total, ratios, expected) => {
      const parts = cents(total).allocate(ratios);
      expect(centavosOf(parts)).toEqual(expected);
    });

    it('handles huge amounts and ratios without losing a centavo', () => {
      const total = Number.MAX_SAFE_INTEGER;
      const parts = cents(total).allocate([1e200, 3e200, 1]);
      expect(parts.reduce((a, p) => a + p.centavos, 0)).toBe(total);
      expect(centavosOf(cents(total).allocate([3, 3, 3]))).toEqual([3002399751580331, 3002399751580330, 3002399751580330]);
    });

    it.each([
      [[]],
      [[0, 0]],
      [[1, -1]],
      [[NaN]],
      [[Infinity, 1]],
    ])('allocate(%j) throws', (ratios) => {
      expect(() => cents(100).allocate(ratios)).toThrow(RangeError);
    });

    it('split divides into equal parts, remainder first', () => {
      expect(centavosOf(cents(100).split(3))).toEqual([34, 33, 33]);
      expect(centavosOf(cents(-7).split(2))).toEqual([-4, -3]);
      expect(centavosOf(cents(0).split(2))).toEqual([0, 0]);
      expect(cents(1).split(100_000).filter((p) => p.centavos === 1)).toHaveLength(1);
    });

    it.each([0, -1, 1.5, NaN])('split(%p) throws', (n) => {
      expect(() => cents(100).split(n)).toThrow(RangeError);
    });
  });

  describe('comparison and formatting', () => {
    it('equals and compare', () => {
      expect(cents(100).equals(cents(100))).toBe(true);
      expect(cents(100).equals(cents(101))).toBe(false);
      expect(cents(1).compare(cents(2))).toBe(-1);
      expect(cents(2).compare(cents(2))).toBe(0);
      expect(cents(3).compare(cents(2))).toBe(1);
      expect([cents(300), cents(-5), cents(20)].sort((a, b) => a.compare(b)).map((m) => m.centavos)).toEqual([-5, 20, 300]);
    });

    it('sign predicates', () => {
      expect(cents(0).isZero()).toBe(true);
      expect(cents(-1).isNegative()).toBe(true);
      expect(cents(1).isPositive()).toBe(true);
      expect(cents(0).isPositive()).toBe(false);
    });

    it.each([
      [2999, '29.99'],
      [19900, '199.00'],
      [0, '0.00'],
      [5, '0.05'],
      [50, '0.50'],
      [-5, '-0.05'],
      [-12345, '-123.45'],
    ])('%p centavos formats as %p', (c, text) => {
      expect(cents(c).toDecimalString()).toBe(text);
      expect(cents(c).toString()).toBe(text);
      expect(cents(c).toJSON()).toBe(text);
    });

    it('serialises to JSON as a decimal string', () => {
      expect(JSON.stringify({ price: cents(2999) })).toBe('{"price":"29.99"}');
    });

    it('toNumber gives reais for display', () => {
      expect(cents(2999).toNumber()).toBe(29.99);
      expect(cents(-5).toNumber()).toBe(-0.05);
    });
  });

  describe('properties', () => {
    it('allocate never loses or invents a centavo', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
          fc
            .array(fc.oneof(fc.nat({ max: 1000 }), fc.double({ min: 0, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 20 })
            .filter((rs) => rs.some((r) => r > 0)),
          (total, ratios) => {
            const parts = cents(total).allocate(ratios);
            expect(parts).toHaveLength(ratios.length);
            expect(parts.reduce((acc, p) => acc + p.centavos, 0)).toBe(total);
            parts.forEach((p, i) => {
              if (ratios[i] === 0) expect(p.centavos).toBe(0);
              if (total >= 0) expect(p.centavos).toBeGreaterThanOrEqual(0);
              else expect(p.centavos).toBeLessThanOrEqual(0);
            });
          },
        ),
      );
    });

    it('allocate with integer ratios gives every part floor or ceil of its exact share', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 10_000_000 }),
          fc.array(fc.nat({ max: 100 }), { minLength: 1, maxLength: 10 }).filter((rs) => rs.some((r) => r > 0)),
          (total, ratios) => {
            const sum = ratios.reduce((a, b) => a + b, 0);
            cents(total)
              .allocate(ratios)
              .forEach((p, i) => {
                const exact = (total * ratios[i]) / sum;
                expect(p.centavos).toBeGreaterThanOrEqual(Math.floor(exact));
                expect(p.centavos).toBeLessThanOrEqual(Math.ceil(exact));
              });
          },
        ),
      );
    });

    it('split parts differ by at most one centavo and sum to the total', () => {
      fc.assert(
        fc.property(fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }), fc.integer({ min: 1, max: 50 }), (total, n) => {
          const parts = centavosOf(cents(total).split(n));
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
        }),
      );
    });

    it('subtract undoes add', () => {
      fc.assert(
        fc.property(amount, amount, (a, b) => {
          expect(a.add(b).subtract(b).equals(a)).toBe(true);
          expect(a.subtract(b).add(b).equals(a)).toBe(true);
        }),
      );
    });

    it('add is commutative and zero is neutral', () => {
      fc.assert(
        fc.property(amount, amount, (a, b) => {
          expect(a.add(b).equals(b.add(a))).toBe(true);
          expect(a.add(Money.zero()).equals(a)).toBe(true);
        }),
      );
    });

    it('parse(toDecimalString(m)) round-trips', () => {
      fc.assert(
        fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (c) => {
          const m = cents(c);
          const back = Money.parse(m.toDecimalString());
          expect(back.ok && back.value.equals(m)).toBe(true);
        }),
      );
    });

    it('parse agrees with exact digit arithmetic for any plain decimal of up to 2 places', () => {
      fc.assert(
        fc.property(
          fc.boolean(),
          fc.integer({ min: 0, max: 10 ** 12 }),
          fc.integer({ min: 0, max: 99 }),
          fc.constantFrom(0, 1, 2),
          (negative, reais, fraction, places) => {
            const frac = places === 0 ? '' : places === 1 ? `.${fraction % 10}` : `.${String(fraction).padStart(2, '0')}`;
            const text = `${negative ? '-' : ''}${reais}${frac}`;
            const fracCentavos = places === 0 ? 0 : places === 1 ? (fraction % 10) * 10 : fraction;
            const magnitude = reais * 100 + fracCentavos;
            expect(parseCentavos(text)).toBe(negative ? -magnitude || 0 : magnitude);
          },
        ),
      );
    });

    it('parse never accepts exponent notation', () => {
      fc.assert(
        fc.property(
          fc.double({ noNaN: true, noDefaultInfinity: true }),
          fc.constantFrom('e', 'E'),
          fc.integer({ min: -400, max: 400 }),
          fc.constantFrom('', '+'),
          (mantissa, e, exponent, plus) => {
            const text = `${mantissa}${e}${exponent >= 0 ? plus : ''}${exponent}`;
            const r = Money.parse(text);
            expect(r.ok).toBe(false);
            expect(r.ok ? '' : r.error.code).toBe(MoneyErrorCode.NOT_A_NUMBER);
          },
        ),
      );
      fc.assert(
        fc.property(fc.double({ noNaN: true }), (d) => {
          const text = d.toExponential();
          expect(Money.parse(text).ok).toBe(false);
        }),
      );
    });

    it('parse never throws, whatever the input', () => {
      fc.assert(
        fc.property(fc.string({ unit: 'binary' }), (s) => {
          const r = Money.parse(s);
          if (r.ok) expect(Number.isSafeInteger(r.value.centavos)).toBe(true);
          else expect(Object.values(MoneyErrorCode)).toContain(r.error.code);
        }),
      );
    });

    it('multiply by an integer matches integer arithmetic', () => {
      fc.assert(
        fc.property(fc.integer({ min: -(10 ** 7), max: 10 ** 7 }), fc.integer({ min: -(10 ** 7), max: 10 ** 7 }), (c, k) => {
          expect(cents(c).multiply(k).centavos).toBe(c * k || 0);
        }),
      );
    });

    it('multiply by a decimal rounds to the nearest centavo', () => {
      fc.assert(
        fc.property(fc.integer({ min: -(10 ** 9), max: 10 ** 9 }), fc.integer({ min: -10_000, max: 10_000 }), (c, k) => {
          // factor = k / 1000, exact product = c * k / 1000
          const factor = k / 1000;
          const result = cents(c).multiply(factor).centavos;
          const exactTimes1000 = c * k;
          expect(Math.abs(result * 1000 - exactTimes1000)).toBeLessThanOrEqual(500);
          // Ties (exactly .5) go away from zero.
          if (Math.abs(exactTimes1000 % 1000) === 500) {
            expect(Math.abs(result * 1000)).toBeGreaterThan(Math.abs(exactTimes1000));
          }
        }),
      );
    });
  });
});
