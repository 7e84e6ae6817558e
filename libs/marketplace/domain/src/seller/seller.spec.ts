import { Seller, SellerFlag, sellerCity } from './seller';

const register = (city: string, zipPrefix = '09350', state = 'SP') => Seller.register({ sellerId: 's1', zipPrefix, city, state });

describe('Seller', () => {
  it('keeps a clean city as it is, with the shared-kernel address', () => {
    const s = register('maua');
    expect(s.ok && s.value.registration()).toEqual({ sellerId: 's1', zipPrefix: '09350', city: 'maua', state: 'SP', flags: [] });
    expect(s.ok && s.value.address?.toJSON()).toEqual({ zipPrefix: '09350', city: 'maua', state: 'SP' });
  });

  it('normalises a city written with accents, case or a trailing state, and flags it', () => {
    expect(sellerCity('São Paulo / SP')).toEqual({ raw: 'São Paulo / SP', normalized: 'sao paulo', flag: SellerFlag.CITY_NORMALIZED });
    expect(sellerCity('sao paulo - sp')).toEqual({ raw: 'sao paulo - sp', normalized: 'sao paulo', flag: SellerFlag.CITY_NORMALIZED });
  });

  it.each([
    ['04482255', SellerFlag.CITY_NUMERIC],
    ['vendas@creditparts.com.br', SellerFlag.CITY_EMAIL],
    ['sp / sp', SellerFlag.CITY_IS_UF],
    ['  ', SellerFlag.CITY_EMPTY],
  ])('flags the malformed city %j, keeping the raw value and no normalised one', (raw, flag) => {
    const s = register(raw);
    expect(s.ok).toBe(true);
    if (!s.ok) return;
    expect(s.value.city).toEqual({ raw, normalized: null, flag });
    expect(s.value.flags).toEqual([flag]);
    expect(s.value.address).toBeNull();
    expect(s.value.registration().city.length).toBeGreaterThan(0);
  });

  it('pads a four-digit zip prefix and flags it', () => {
    const s = register('sao paulo', '1529');
    expect(s.ok && s.value.registration()).toMatchObject({ zipPrefix: '01529', flags: [SellerFlag.ZIP_PADDED] });
  });

  it('refuses an unusable zip prefix or state', () => {
    const zip = register('maua', '12');
    expect(!zip.ok && zip.error.code).toBe('ADDRESS.ZIP_TOO_SHORT');
    const uf = register('maua', '09350', 'XX');
    expect(!uf.ok && uf.error.code).toBe('ADDRESS.UF_UNKNOWN');
  });

  it('is registered again only when its address changed', () => {
    const a = register('maua');
    const same = register('maua');
    const moved = register('santo andre', '09010');
    if (!a.ok || !same.ok || !moved.ok) throw new Error('unexpected');
    expect(a.value.registeredSince(null)).toBe(true);
    expect(same.value.registeredSince(a.value)).toBe(false);
    expect(moved.value.registeredSince(a.value)).toBe(true);
  });
});
