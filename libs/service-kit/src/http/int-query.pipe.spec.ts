import { BadRequestException } from '@nestjs/common';
import fc from 'fast-check';
import { IntQueryPipe } from './int-query.pipe';

const refusal = (pipe: IntQueryPipe, value: unknown) => {
  try {
    pipe.transform(value);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return (error as BadRequestException).message;
  }
};

describe('IntQueryPipe', () => {
  const limit = new IntQueryPipe('limit', { min: 1, max: 1000, default: 100 });
  const offset = new IntQueryPipe('offset', { min: 0, default: 0 });

  it('gives the default for an absent or blank parameter', () => {
    expect([limit.transform(undefined), limit.transform(''), limit.transform('  '), offset.transform(undefined)]).toEqual([100, 100, 100, 0]);
  });

  it('refuses, naming the parameter, what it accepts and what came', () => {
    expect(refusal(limit, '0')).toBe('limit must be an integer from 1 to 1000, got "0"');
    expect(refusal(limit, 'abc')).toBe('limit must be an integer from 1 to 1000, got "abc"');
    expect(refusal(limit, ['5', '6'])).toBe('limit must be an integer from 1 to 1000, got ["5","6"]');
    expect(refusal(offset, '-1')).toBe('offset must be a non-negative integer, got "-1"');
    expect(refusal(offset, '2.5')).toBe('offset must be a non-negative integer, got "2.5"');
    expect(refusal(new IntQueryPipe('n', { min: 5, default: 5 }), '4')).toBe('n must be an integer of at least 5, got "4"');
  });

  it('accepts exactly the whole numbers within its bounds, as numbers', () => {
    fc.assert(
      fc.property(fc.integer({ min: -50, max: 1050 }), fc.constantFrom('', ' '), (n, pad) => {
        const inside = n >= 1 && n <= 1000;
        expect(refusal(limit, `${pad}${n}${pad}`) === null).toBe(inside);
        if (inside) expect(limit.transform(`${pad}${n}`)).toBe(n);
      }),
    );
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^\s*-?\d{0,20}\s*$/)), (s) => {
        const accepted = refusal(offset, s) === null;
        expect(accepted).toBe(s.trim() === '' || (/^-?\d+$/.test(s.trim()) && Number.isSafeInteger(Number(s.trim())) && Number(s.trim()) >= 0));
      }),
    );
  });
});
