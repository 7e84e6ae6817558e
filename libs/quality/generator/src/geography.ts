import { allocate } from './allocation';
import { BRAZIL_BOUNDS, CITIES, CityProfile, STATES, StateProfile } from './reference/brazil';
import { Random, WeightedIndex } from './random';

/** Distinct zip prefixes of the real geolocation file. */
const FULL_ZIP_PREFIXES = 19_015;

export interface ZipArea {
  readonly prefix: number;
  /** Always 5 characters, zero-padded. */
  readonly code: string;
  readonly city: CityProfile;
  readonly state: StateProfile;
  readonly lat: number;
  readonly lng: number;
  /** Standard deviation of the points around the centre, in degrees. */
  readonly spread: number;
  /** Relative density (addresses, customers). */
  readonly weight: number;
}

export const zipCode = (prefix: number): string => String(prefix).padStart(5, '0');

/**
 * The zip prefixes of a generated data set: a share of each city's real prefix ranges, each with
 * a centre near its city; customers and sellers are drawn from them with the real state shares.
 */
export class Geography {
  readonly zips: readonly ZipArea[];
  private readonly customerIndex: WeightedIndex;
  private readonly sellerIndex: WeightedIndex;
  private readonly listed: Set<number>;

  constructor(random: Random, scale: number, geolocationRows: number) {
    const states = new Map(STATES.map((s) => [s.code, s]));
    const sumBy = (pick: (c: CityProfile) => number) => {
      const totals = new Map<string, number>();
      for (const c of CITIES) totals.set(c.state, (totals.get(c.state) ?? 0) + pick(c));
      return totals;
    };
    const customerTotals = sumBy((c) => c.customers);
    const sellerTotals = sumBy((c) => c.sellers);
    const state = (c: CityProfile) => states.get(c.state) as StateProfile;
    const customerWeight = CITIES.map((c) => (state(c).customers * c.customers) / (customerTotals.get(c.state) || 1));
    const sellerWeight = CITIES.map((c) => (state(c).sellers * c.sellers) / (sellerTotals.get(c.state) || 1));
    const capacity = CITIES.map((c) => c.zips.reduce((s, [from, to]) => s + to - from + 1, 0));

    const zipCount = Math.max(1, Math.min(geolocationRows, Math.round(FULL_ZIP_PREFIXES * Math.min(1, scale))));
    const quotas = allocate(
      zipCount,
      CITIES.map((_, i) => Math.pow(customerWeight[i] + 0.5 * sellerWeight[i], 0.6)),
      capacity,
    );

    const zips: ZipArea[] = [];
    CITIES.forEach((city, i) => {
      const radius = 0.012 + 0.2 * Math.sqrt(customerWeight[i] / 100);
      for (const offset of random.sample(capacity[i], quotas[i])) {
        const angle = random.uniform(0, 2 * Math.PI);
        const r = radius * Math.sqrt(random.next());
        const lat = clamp(city.lat + r * Math.sin(angle), BRAZIL_BOUNDS.minLat + 0.01, BRAZIL_BOUNDS.maxLat - 0.01);
        const lng = clamp(
          city.lng + (r * Math.cos(angle)) / Math.cos((city.lat * Math.PI) / 180),
          BRAZIL_BOUNDS.minLng + 0.01,
          BRAZIL_BOUNDS.maxLng - 0.02,
        );
        const prefix = prefixAt(city, offset);
        zips.push({
          prefix,
          code: zipCode(prefix),
          city,
          state: state(city),
          lat,
          lng,
          spread: Math.min(0.03, random.logNormal(0.003, 0.6)),
          weight: random.logNormal(1, 0.9),
        });
      }
    });
    zips.sort((a, b) => a.prefix - b.prefix);
    this.zips = zips;
    this.listed = new Set(zips.map((z) => z.prefix));

    const cityDensity = new Map<CityProfile, number>();
    for (const z of zips) cityDensity.set(z.city, (cityDensity.get(z.city) ?? 0) + z.weight);
    const cityPos = new Map(CITIES.map((c, i) => [c, i]));
    const byCity = (w: number[]) => zips.map((z) => (w[cityPos.get(z.city) as number] * z.weight) / (cityDensity.get(z.city) as number));
    const customers = byCity(customerWeight);
    const sellers = byCity(sellerWeight);
    this.customerIndex = new WeightedIndex(customers);
    this.sellerIndex = new WeightedIndex(sellers.some((w) => w > 0) ? sellers : customers);
  }

  customerZip(random: Random): ZipArea {
    return this.zips[this.customerIndex.draw(random)];
  }

  sellerZip(random: Random): ZipArea {
    return this.zips[this.sellerIndex.draw(random)];
  }

  /** A prefix of the same city that the geolocation file does not list (or the area's own when there is none). */
  unlistedCode(random: Random, area: ZipArea): string {
    const capacity = area.city.zips.reduce((s, [from, to]) => s + to - from + 1, 0);
    for (let attempt = 0; attempt < 8; attempt++) {
      const prefix = prefixAt(area.city, random.int(0, capacity - 1));
      if (!this.listed.has(prefix)) return zipCode(prefix);
    }
    return area.code;
  }

  isListed(code: string): boolean {
    return this.listed.has(Number(code));
  }
}

function prefixAt(city: CityProfile, offset: number): number {
  let rest = offset;
  for (const [from, to] of city.zips) {
    const size = to - from + 1;
    if (rest < size) return from + rest;
    rest -= size;
  }
  throw new RangeError(`offset ${offset} outside the zip ranges of ${city.name}`);
}

function clamp(v: number, min: number, max: number): number {
  return v < min ? min : v > max ? max : v;
}
