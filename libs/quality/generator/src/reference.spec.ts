import { BRAZIL_BOUNDS, CITIES, STATES } from './reference/brazil';
import { PurchaseCalendar, formatTimestamp } from './reference/calendar';
import { PRODUCT_CATEGORIES, TRANSLATED_CATEGORIES } from './reference/categories';
import { Random } from './random';

// First digits of the zip codes (CEP) of each state.
const CEP_STATE: readonly [number, number, string][] = [
  [1000, 19999, 'SP'], [20000, 28999, 'RJ'], [29000, 29999, 'ES'], [30000, 39999, 'MG'], [40000, 48999, 'BA'],
  [49000, 49999, 'SE'], [50000, 56999, 'PE'], [57000, 57999, 'AL'], [58000, 58999, 'PB'], [59000, 59999, 'RN'],
  [60000, 63999, 'CE'], [64000, 64999, 'PI'], [65000, 65999, 'MA'], [66000, 68899, 'PA'], [68900, 68999, 'AP'],
  [69000, 69299, 'AM'], [69300, 69399, 'RR'], [69400, 69899, 'AM'], [69900, 69999, 'AC'], [70000, 72799, 'DF'],
  [72800, 72999, 'GO'], [73000, 73699, 'DF'], [73700, 76799, 'GO'], [76800, 76999, 'RO'], [77000, 77999, 'TO'],
  [78000, 78899, 'MT'], [79000, 79999, 'MS'], [80000, 87999, 'PR'], [88000, 89999, 'SC'], [90000, 99999, 'RS'],
];

describe('reference data', () => {
  it('has the 27 states with shares adding up to about 100 %', () => {
    expect(new Set(STATES.map((s) => s.code)).size).toBe(27);
    expect(Math.abs(STATES.reduce((s, x) => s + x.customers, 0) - 100)).toBeLessThan(0.5);
    expect(Math.abs(STATES.reduce((s, x) => s + x.sellers, 0) - 100)).toBeLessThan(0.5);
  });

  it("gives every city zip ranges of its own state that no other city uses, and a centre inside Brazil", () => {
    const owner = new Map<number, string>();
    const clashes: string[] = [];
    for (const city of CITIES) {
      expect(STATES.some((s) => s.code === city.state)).toBe(true);
      expect(city.lat > BRAZIL_BOUNDS.minLat && city.lat < BRAZIL_BOUNDS.maxLat).toBe(true);
      expect(city.lng > BRAZIL_BOUNDS.minLng && city.lng < BRAZIL_BOUNDS.maxLng).toBe(true);
      for (const [from, to] of city.zips) {
        expect(from).toBeLessThanOrEqual(to);
        for (const z of [from, to]) expect([city.name, CEP_STATE.find(([a, b]) => z >= a && z <= b)?.[2]]).toEqual([city.name, city.state]);
        for (let z = from; z <= to; z++) {
          if (owner.has(z)) clashes.push(`${z}: ${owner.get(z)} and ${city.name}`);
          owner.set(z, city.name);
        }
      }
    }
    expect(clashes).toEqual([]);
    for (const s of STATES) expect([s.code, CITIES.some((c) => c.state === s.code)]).toEqual([s.code, true]);
  });

  it('lists the 71 translated categories and the 2 untranslated ones', () => {
    expect(TRANSLATED_CATEGORIES).toHaveLength(71);
    expect(new Set(TRANSLATED_CATEGORIES.map((c) => c.name)).size).toBe(71);
    expect(TRANSLATED_CATEGORIES.every((c) => c.english)).toBe(true);
    expect(PRODUCT_CATEGORIES.filter((c) => !c.english).map((c) => c.name)).toEqual(['pc_gamer', 'portateis_cozinha_e_preparadores_de_alimentos']);
  });

  it('draws purchases between September 2016 and October 2018, growing over time', () => {
    const calendar = new PurchaseCalendar();
    const r = new Random(5);
    const years = new Map<string, number>();
    for (let i = 0; i < 20000; i++) {
      const t = formatTimestamp(calendar.draw(r));
      expect(t >= '2016-09-04 00:00:00' && t <= '2018-10-17 23:59:59').toBe(true);
      years.set(t.slice(0, 4), (years.get(t.slice(0, 4)) ?? 0) + 1);
    }
    expect(years.get('2016')! < years.get('2017')! && years.get('2017')! < years.get('2018')!).toBe(true);
  });
});
