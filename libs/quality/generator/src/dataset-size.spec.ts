import fc from 'fast-check';
import { allocate } from './allocation';
import { datasetSize, FULL_SIZE, shareOf } from './dataset-size';

describe('datasetSize', () => {
  it('gives the counts of the real data set at scale 1', () => {
    expect(datasetSize(1)).toEqual({
      orders: 99_441,
      items: 112_650,
      payments: 103_886,
      reviews: 99_224,
      customers: 99_441,
      products: 32_951,
      sellers: 3_095,
      geolocation: 1_000_163,
      translations: 71,
    });
  });

  it('multiplies and rounds, at least 1 row, always 71 translations', () => {
    expect(datasetSize(0.1)).toMatchObject({ orders: 9_944, items: 11_265, sellers: 310, geolocation: 100_016, translations: 71 });
    expect(datasetSize(10).orders).toBe(994_410);
    expect(datasetSize(0.000001)).toMatchObject({ orders: 1, items: 1, sellers: 1, geolocation: 1, translations: 71 });
    expect(datasetSize(0.5).customers).toBe(datasetSize(0.5).orders);
  });

  it('refuses a scale that is not a positive number', () => {
    for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => datasetSize(bad)).toThrow(RangeError);
  });

  it('keeps the full counts consistent', () => {
    expect(FULL_SIZE.customers).toBe(FULL_SIZE.orders);
  });
});

describe('shareOf', () => {
  it('splits a total over consecutive ranges without losing or adding a row', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 1, max: 200_000 }), fc.integer({ min: 1, max: 5000 }), (total, n, size) => {
        const chunk = Math.max(size, Math.ceil(n / 500));
        let sum = 0;
        for (let start = 0; start < n; start += chunk) {
          const part = shareOf(total, start, Math.min(n, start + chunk), n);
          if (part < 0) throw new Error(`negative share ${part}`);
          sum += part;
        }
        expect(sum).toBe(total);
      }),
    );
  });
});

describe('allocate', () => {
  it('hands out exactly the total, proportionally, within the caps', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0, max: 100, noNaN: true }), fc.integer({ min: 0, max: 50 })), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 0, max: 2000 }),
        (cities, total) => {
          const weights = cities.map(([w]) => w);
          const caps = cities.map(([, c]) => c);
          const parts = allocate(total, weights, caps);
          const room = cities.reduce((s, [w, c]) => s + (w > 0 ? c : 0), 0);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(Math.min(total, room));
          parts.forEach((p, i) => {
            expect(p).toBeGreaterThanOrEqual(0);
            expect(p).toBeLessThanOrEqual(caps[i]);
            if (weights[i] === 0) expect(p).toBe(0);
          });
        },
      ),
    );
  });

  it('follows the weights when there are no caps', () => {
    expect(allocate(10, [1, 1, 2])).toEqual([3, 2, 5]);
    expect(allocate(100, [1, 3])).toEqual([25, 75]);
  });
});
