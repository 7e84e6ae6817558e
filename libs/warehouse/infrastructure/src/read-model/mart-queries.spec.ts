import fc from 'fast-check';
import { MART_NAMES, MARTS, MAX_LIMIT, parseMartQuery } from './mart-queries';

const month = fc.record({ year: fc.integer({ min: 2016, max: 2019 }), month: fc.integer({ min: 1, max: 12 }) }).map(({ year, month: m }) => `${year}-${String(m).padStart(2, '0')}`);
const refusal = (mart: string, raw: Record<string, unknown>) => {
  const parsed = parseMartQuery(mart, raw);
  return parsed.ok ? null : parsed.error.message;
};

describe('parseMartQuery', () => {
  it('refuses a parameter no mart has, naming it and what the mart accepts', () => {
    expect(refusal('revenue_monthly', { montth: '2017-01' })).toBe('unknown parameter "montth": mart revenue_monthly accepts from, to, limit, offset');
    expect(refusal('rfm', { state: 'SP', page: '2' })).toBe('unknown parameter "page": mart rfm accepts state, limit, offset');
    // A known filter the mart lacks is refused as such.
    expect(refusal('revenue_monthly', { seller: 's1' })).toBe('mart revenue_monthly cannot be filtered by seller (it accepts from, to)');
  });

  it('takes a month or a date for from and to, as the month, and refuses a range that ends before it starts', () => {
    fc.assert(
      fc.property(month, month, fc.integer({ min: 1, max: 28 }), (a, b, day) => {
        const [from, to] = a <= b ? [a, b] : [b, a];
        const parsed = parseMartQuery('payment_mix', { from: `${from}-${String(day).padStart(2, '0')}`, to });
        expect(parsed.ok && parsed.value.filters).toEqual({ from, to });
        if (from !== to) expect(refusal('payment_mix', { from: to, to: from })).toBe(`from (${to}) is after to (${from})`);
      }),
    );
  });

  it('accepts every limit from 1 to the maximum and every non-negative offset, and nothing else', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: MAX_LIMIT + 10 }), fc.integer({ min: -10, max: 1_000_000 }), (limit, offset) => {
        const parsed = parseMartQuery('rfm', { limit: String(limit), offset: String(offset) });
        const valid = limit >= 1 && limit <= MAX_LIMIT && offset >= 0;
        expect(parsed.ok).toBe(valid);
        if (parsed.ok) expect([parsed.value.limit, parsed.value.offset]).toEqual([limit, offset]);
      }),
    );
  });

  it('never throws, whatever the parameters: a query is parsed or refused with a message', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MART_NAMES, 'nope'), fc.dictionary(fc.constantFrom('from', 'to', 'state', 'category', 'seller', 'limit', 'offset', 'x'), fc.oneof(fc.string(), fc.integer(), fc.constant(null))), (mart, raw) => {
        const parsed = parseMartQuery(mart, raw);
        if (parsed.ok) {
          expect(Object.keys(parsed.value.filters).every((f) => f in MARTS[parsed.value.mart].filters)).toBe(true);
        } else {
          expect(parsed.error.message.length).toBeGreaterThan(0);
        }
      }),
    );
  });
});
