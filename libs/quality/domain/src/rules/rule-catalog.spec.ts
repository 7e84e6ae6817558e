import fc from 'fast-check';
import { QUALITY_FEEDS, RULE_CATALOG, fileScore, ruleByCode } from './rule-catalog';

const TABLE_PREFIX: Record<string, string> = {
  orders: 'ORDERS',
  order_items: 'ITEMS',
  order_payments: 'PAYMENTS',
  order_reviews: 'REVIEWS',
  customers: 'CUSTOMERS',
  sellers: 'SELLERS',
  products: 'PRODUCTS',
  geolocation: 'GEO',
  category_translation: 'TRANSLATION',
};

describe('RULE_CATALOG', () => {
  it('has unique codes', () => {
    const codes = RULE_CATALOG.map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('names only the nine feeds of a load', () => {
    expect([...QUALITY_FEEDS].sort()).toEqual(Object.keys(TABLE_PREFIX).sort());
    for (const r of RULE_CATALOG) expect(QUALITY_FEEDS).toContain(r.table);
  });

  it('codes read TABLE.CHECK with the prefix of their feed', () => {
    for (const r of RULE_CATALOG) {
      expect(r.code).toMatch(/^[A-Z]+\.[A-Z0-9_]+$/);
      expect(r.code.split('.')[0]).toBe(TABLE_PREFIX[r.table]);
    }
  });

  it('every rule has a severity and a sentence', () => {
    for (const r of RULE_CATALOG) {
      expect(['error', 'warn']).toContain(r.severity);
      expect(r.description).toMatch(/^\S.*\.$/);
    }
  });

  it('covers every feed', () => {
    expect(new Set(RULE_CATALOG.map((r) => r.table))).toEqual(new Set(QUALITY_FEEDS));
  });

  it.each([
    ['ORDERS.PK_DUPLICATE', 'error'],
    ['REVIEWS.PK_DUPLICATE', 'warn'],
    ['ITEMS.FK_ORDER', 'error'],
    ['PAYMENTS.TYPE_UNKNOWN', 'error'],
    ['PAYMENTS.TYPE_NOT_DEFINED', 'warn'],
    ['PAYMENTS.INSTALLMENTS_ZERO', 'warn'],
    ['GEO.OUTSIDE_BRAZIL', 'error'],
    ['GEO.DUPLICATE_ROW', 'warn'],
    ['GEO.ZIP_LEADING_ZERO_LOST', 'warn'],
    ['ORDERS.CARRIER_BEFORE_PURCHASE', 'warn'],
  ])('%s is %s', (code, severity) => {
    expect(ruleByCode(code).severity).toBe(severity);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(RULE_CATALOG)).toBe(true);
    expect(Object.isFrozen(RULE_CATALOG[0])).toBe(true);
  });

  it('ruleByCode refuses an unknown code', () => {
    expect(() => ruleByCode('ORDERS.NOPE')).toThrow(RangeError);
  });
});

describe('fileScore', () => {
  it('is 100 for an empty file and for a clean one', () => {
    expect(fileScore(0, 0, 0)).toBe(100);
    expect(fileScore(1, 0, 0)).toBe(100);
    expect(fileScore(99_441, 0, 0)).toBe(100);
  });

  it('is 0 when every row is quarantined', () => {
    expect(fileScore(7, 7, 0)).toBe(0);
  });

  it('counts a row with warnings as a tenth of a quarantined row', () => {
    expect(fileScore(10, 1, 0)).toBe(90);
    expect(fileScore(10, 0, 1)).toBe(99);
    expect(fileScore(10, 0, 10)).toBe(90);
    expect(fileScore(4, 1, 3)).toBe(67.5);
  });

  it('rounds half-up to two decimals', () => {
    // 100 × (3 − 1) / 3 = 66.666…
    expect(fileScore(3, 1, 0)).toBe(66.67);
    // 100 × (8 − 0.1) / 8 = 98.75 exactly
    expect(fileScore(8, 0, 1)).toBe(98.75);
    // 100 × (16 − 0.1) / 16 = 99.375 → 99.38
    expect(fileScore(16, 0, 1)).toBe(99.38);
    // 100 × (99441 − 0.8) / 99441 = 99.99919… → 100
    expect(fileScore(99_441, 0, 8)).toBe(100);
    // 100 × (50000 − 3 − 184.8) / 50000 = 99.6244 → 99.62
    expect(fileScore(50_000, 3, 1848)).toBe(99.62);
  });

  it('stays within [0, 100] with at most two decimals', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_000_000 }).chain((records) =>
          fc.integer({ min: 0, max: records }).chain((quarantined) =>
            fc.tuple(fc.constant(records), fc.constant(quarantined), fc.integer({ min: 0, max: records - quarantined })),
          ),
        ),
        ([records, quarantined, warnings]) => {
          const score = fileScore(records, quarantined, warnings);
          expect(score).toBeGreaterThanOrEqual(0);
          expect(score).toBeLessThanOrEqual(100);
          expect(Math.abs(score * 100 - Math.round(score * 100))).toBeLessThan(1e-6);
        },
      ),
    );
  });

  it.each([
    [-1, 0, 0],
    [1.5, 0, 0],
    [10, -1, 0],
    [10, 0, Number.NaN],
    [10, 6, 5],
    [0, 1, 0],
  ])('refuses records=%p quarantined=%p warnings=%p', (records, quarantined, warnings) => {
    expect(() => fileScore(records, quarantined, warnings)).toThrow(RangeError);
  });
});
