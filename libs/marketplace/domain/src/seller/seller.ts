import { Address, type DomainError, normalizeCity, type Result, UF, ZipPrefix, ok } from '@olist/shared-kernel';

/** Flags of source-data exceptions accepted on a seller (codes as in seller-registered). */
export const SellerFlag = {
  /** The city was written differently (case, accents, spacing, a trailing state); it is kept normalised. */
  CITY_NORMALIZED: 'CITY_NORMALIZED',
  CITY_EMPTY: 'CITY_EMPTY',
  /** Only digits, e.g. `04482255` (a CEP typed as the city). */
  CITY_NUMERIC: 'CITY_NUMERIC',
  /** An e-mail address, e.g. `vendas@creditparts.com.br`. */
  CITY_EMAIL: 'CITY_EMAIL',
  /** Only a state code, e.g. `sp / sp`. */
  CITY_IS_UF: 'CITY_IS_UF',
  /** A four-digit zip prefix, padded with a leading zero. */
  ZIP_PADDED: 'ZIP_PADDED',
} as const;

export type SellerFlag = (typeof SellerFlag)[keyof typeof SellerFlag];

/** The city as written, its normalised form (null when it is not a city) and why it was flagged. */
export interface SellerCity {
  readonly raw: string;
  readonly normalized: string | null;
  readonly flag: SellerFlag | null;
}

export interface SellerInput {
  readonly sellerId: string;
  readonly zipPrefix: string;
  readonly city: string;
  readonly state: string;
}

const CITY_FLAG: Readonly<Record<string, SellerFlag>> = {
  'ADDRESS.CITY_EMPTY': SellerFlag.CITY_EMPTY,
  'ADDRESS.CITY_NUMERIC': SellerFlag.CITY_NUMERIC,
  'ADDRESS.CITY_EMAIL': SellerFlag.CITY_EMAIL,
  'ADDRESS.CITY_IS_UF': SellerFlag.CITY_IS_UF,
};

export function sellerCity(raw: string): SellerCity {
  const normalized = normalizeCity(raw);
  if (!normalized.ok) return { raw, normalized: null, flag: CITY_FLAG[normalized.error.code] ?? SellerFlag.CITY_EMPTY };
  return { raw, normalized: normalized.value, flag: normalized.value === raw ? null : SellerFlag.CITY_NORMALIZED };
}

/**
 * A marketplace seller. The zip prefix and the state must be valid (a seller without them is
 * refused); a malformed city is kept with its flag: raw value, normalised value or null.
 * `address` is the shared-kernel Address when the city is a city.
 */
export class Seller {
  private constructor(
    readonly id: string,
    readonly zipPrefix: ZipPrefix,
    /** The zip prefix as written in the source. */
    readonly zipPrefixRaw: string,
    readonly city: SellerCity,
    readonly state: UF,
    readonly flags: readonly SellerFlag[],
  ) {
    Object.freeze(this);
  }

  static register(input: SellerInput): Result<Seller, DomainError> {
    const zip = ZipPrefix.parse(input.zipPrefix);
    if (!zip.ok) return zip;
    const state = UF.parse(input.state);
    if (!state.ok) return state;
    const city = sellerCity(input.city);
    const flags: SellerFlag[] = [];
    if (city.flag) flags.push(city.flag);
    if (zip.value.value !== input.zipPrefix.trim()) flags.push(SellerFlag.ZIP_PADDED);
    return ok(new Seller(input.sellerId.trim(), zip.value, input.zipPrefix, city, state.value, flags.sort()));
  }

  get address(): Address | null {
    if (this.city.normalized === null) return null;
    const address = Address.create({ zipPrefix: this.zipPrefix.value, city: this.city.normalized, state: this.state });
    return address.ok ? address.value : null;
  }

  /** The city a reader is told: the normalised one, else the value as written (flagged). */
  get displayCity(): string {
    return this.city.normalized ?? (this.city.raw.trim() || '?');
  }

  /** What seller-registered says. */
  registration(): { sellerId: string; zipPrefix: string; city: string; state: UF; flags: string[] } {
    return { sellerId: this.id, zipPrefix: this.zipPrefix.value, city: this.displayCity, state: this.state, flags: [...this.flags] };
  }

  /** True when the seller is new or its address (zip prefix, city, state) differs from `previous`. */
  registeredSince(previous: Seller | null): boolean {
    return previous === null || JSON.stringify(previous.registration()) !== JSON.stringify(this.registration());
  }
}

