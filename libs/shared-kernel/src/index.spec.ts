import * as kernel from './index';

describe('public API', () => {
  it('exports the value objects and helpers', () => {
    expect(Object.keys(kernel).sort()).toEqual(
      [
        'Address',
        'AddressErrorCode',
        'BRAZIL_BOUNDING_BOX',
        'DateRange',
        'DateRangeErrorCode',
        'EARTH_RADIUS_KM',
        'GeoErrorCode',
        'GeoPoint',
        'Money',
        'MoneyErrorCode',
        'UF',
        'UF_CODES',
        'ZipPrefix',
        'calendarDaysBetween',
        'centroid',
        'domainError',
        'err',
        'haversineKm',
        'isErr',
        'isInsideBrazil',
        'isOk',
        'mapResult',
        'normalizeCity',
        'ok',
        'unwrap',
      ].sort(),
    );
  });

  it('works end to end through the barrel', () => {
    const price = kernel.Money.parse('29.99');
    const address = kernel.Address.create({ zipPrefix: '1310', city: 'São Paulo', state: 'SP' });
    expect(price.ok && price.value.toDecimalString()).toBe('29.99');
    expect(address.ok && address.value.zipPrefix.value).toBe('01310');
  });
});
