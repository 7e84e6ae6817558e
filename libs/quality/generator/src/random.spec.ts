import fc from 'fast-check';
import { Random, WeightedIndex } from './random';

describe('Random', () => {
  it('repeats its sequence for a seed and stream and changes it for another', () => {
    const draw = (seed: number, stream: number) => {
      const r = new Random(seed, stream);
      return Array.from({ length: 5 }, () => r.uint32());
    };
    expect(draw(42, 0)).toEqual(draw(42, 0));
    expect(draw(42, 0)).not.toEqual(draw(43, 0));
    expect(draw(42, 0)).not.toEqual(draw(42, 1));
  });

  it('stays within its ranges', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -50, max: 50 }), fc.integer({ min: 0, max: 50 }), (seed, min, span) => {
        const r = new Random(seed);
        for (let i = 0; i < 50; i++) {
          const x = r.next();
          expect(x >= 0 && x < 1).toBe(true);
          const n = r.int(min, min + span);
          expect(n >= min && n <= min + span && Number.isInteger(n)).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('makes 32-character lowercase hex ids', () => {
    const r = new Random(7);
    const ids = new Set(Array.from({ length: 1000 }, () => r.hexId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('samples distinct indices', () => {
    const r = new Random(1);
    for (const [n, k] of [[10, 10], [1000, 3], [50, 20], [5, 9]]) {
      const s = r.sample(n, k);
      expect(s).toHaveLength(Math.min(n, k));
      expect(new Set(s).size).toBe(s.length);
      expect(s.every((v) => v >= 0 && v < n)).toBe(true);
    }
  });

  it('draws normals with mean 0 and deviation 1', () => {
    const r = new Random(3);
    const xs = Array.from({ length: 20000 }, () => r.normal());
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(sd - 1)).toBeLessThan(0.03);
  });
});

describe('WeightedIndex', () => {
  it('draws indices in proportion to their weights and never a zero weight', () => {
    const weights = [5, 0, 1, 3, 1];
    const index = new WeightedIndex(weights);
    const r = new Random(11);
    const counts = [0, 0, 0, 0, 0];
    for (let i = 0; i < 50000; i++) counts[index.draw(r)]++;
    expect(counts[1]).toBe(0);
    weights.forEach((w, i) => expect(Math.abs(counts[i] / 50000 - w / 10)).toBeLessThan(0.01));
  });

  it('refuses an empty or all-zero weight list', () => {
    expect(() => new WeightedIndex([])).toThrow();
    expect(() => new WeightedIndex([0, 0])).toThrow();
  });
});
