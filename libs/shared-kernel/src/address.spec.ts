import fc from 'fast-check';
import { Address, AddressErrorCode, UF, UF_CODES, ZipPrefix, normalizeCity } from './address';
import { unwrap } from './result';

const zipOutcome = (input: string | number) => {
  const r = ZipPrefix.parse(input);
  return r.ok ? r.value.value : r.error.code;
};
const cityOutcome = (raw: string) => {
  const r = normalizeCity(raw);
  return r.ok ? r.value : r.error.code;
};

describe('ZipPrefix', () => {
  it.each([
    ['01310', '01310'],
    ['14409', '14409'],
    ['99990', '99990'],
    ['1310', '01310'],
    ['1037.0', '01037'],
    ['14409.0', '14409'],
    ['01310.00', '01310'],
    ['  13056 ', '13056'],
    [' 1310.0\r\n', '01310'],
    ['0000', '00000'],
    [1310, '01310'],
    [14409, '14409'],
  ])('parses %p as %p', (input, expected) => {
    expect(zipOutcome(input)).toBe(expected);
  });

  it.each([
    ['', AddressErrorCode.ZIP_EMPTY],
    ['   ', AddressErrorCode.ZIP_EMPTY],
    ['131', AddressErrorCode.ZIP_TOO_SHORT],
    ['1', AddressErrorCode.ZIP_TOO_SHORT],
    ['131.0', AddressErrorCode.ZIP_TOO_SHORT],
    [131, AddressErrorCode.ZIP_TOO_SHORT],
    ['013101', AddressErrorCode.ZIP_TOO_LONG],
    ['01310-100', AddressErrorCode.ZIP_NOT_NUMERIC],
    ['01310100', AddressErrorCode.ZIP_TOO_LONG],
    ['1310.5', AddressErrorCode.ZIP_NOT_NUMERIC],
    ['1310.', AddressErrorCode.ZIP_NOT_NUMERIC],
    ['13a10', AddressErrorCode.ZIP_NOT_NUMERIC],
    ['-1310', AddressErrorCode.ZIP_NOT_NUMERIC],
    ['1e4', AddressErrorCode.ZIP_NOT_NUMERIC],
    [-1310, AddressErrorCode.ZIP_NOT_NUMERIC],
    [1310.5, AddressErrorCode.ZIP_NOT_NUMERIC],
    [NaN, AddressErrorCode.ZIP_NOT_NUMERIC],
  ])('refuses %p with %s', (input, code) => {
    expect(zipOutcome(input)).toBe(code);
  });

  it('is a frozen value object with equality and string forms', () => {
    const zip = unwrap(ZipPrefix.parse('1310'));
    expect(Object.isFrozen(zip)).toBe(true);
    expect(zip.equals(unwrap(ZipPrefix.parse('01310.0')))).toBe(true);
    expect(zip.equals(unwrap(ZipPrefix.parse('01311')))).toBe(false);
    expect(String(zip)).toBe('01310');
    expect(JSON.stringify({ zip })).toBe('{"zip":"01310"}');
  });

  it('property: any 4- or 5-digit number yields 5 digits, and parsing is idempotent', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999 }),
        fc.constantFrom('number', 'plain', 'padded', 'float'),
        (n, form) => {
          const digits = String(n).padStart(4, '0');
          const input =
            form === 'number' && n >= 1000 ? n : form === 'float' ? `${digits}.0` : form === 'padded' ? ` ${digits} ` : digits;
          const first = ZipPrefix.parse(input);
          expect(first.ok).toBe(true);
          if (!first.ok) return;
          expect(first.value.value).toMatch(/^\d{5}$/);
          expect(Number(first.value.value)).toBe(Number(digits));
          const second = ZipPrefix.parse(first.value.value);
          expect(second.ok && second.value.equals(first.value)).toBe(true);
        },
      ),
    );
  });

  it('property: never throws and accepts only what it can represent', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = ZipPrefix.parse(s);
        if (r.ok) expect(r.value.value).toMatch(/^\d{5}$/);
        else expect(Object.values(AddressErrorCode)).toContain(r.error.code);
      }),
    );
  });
});

describe('UF', () => {
  it('lists the 27 federative units', () => {
    expect(UF_CODES).toHaveLength(27);
    expect(new Set(UF_CODES).size).toBe(27);
    expect(UF.codes).toBe(UF_CODES);
    expect([...UF_CODES].sort()).toEqual(
      'AC AL AM AP BA CE DF ES GO MA MG MS MT PA PB PE PI PR RJ RN RO RR RS SC SE SP TO'.split(' '),
    );
  });

  it.each([
    ['SP', 'SP'],
    ['sp', 'SP'],
    [' Rj ', 'RJ'],
    ['df\t', 'DF'],
  ])('parses %p as %p', (input, expected) => {
    expect(unwrap(UF.parse(input))).toBe(expected);
  });

  it.each([
    ['', AddressErrorCode.UF_EMPTY],
    ['  ', AddressErrorCode.UF_EMPTY],
    ['XX', AddressErrorCode.UF_UNKNOWN],
    ['S P', AddressErrorCode.UF_UNKNOWN],
    ['SPA', AddressErrorCode.UF_UNKNOWN],
    ['São Paulo', AddressErrorCode.UF_UNKNOWN],
  ])('refuses %p with %s', (input, code) => {
    const r = UF.parse(input);
    expect(r.ok ? r.value : r.error.code).toBe(code);
  });

  it('is() only accepts exact upper-case codes', () => {
    expect(UF.is('SP')).toBe(true);
    expect(UF.is('sp')).toBe(false);
    expect(UF.is(35)).toBe(false);
  });

  it('property: every code round-trips in any letter case and padding', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...UF_CODES),
        fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
        fc.constantFrom('', ' ', '\t', '  '),
        (code, upper, pad) => {
          const mixed = code
            .split('')
            .map((ch, i) => (upper[i] ? ch.toUpperCase() : ch.toLowerCase()))
            .join('');
          expect(unwrap(UF.parse(`${pad}${mixed}${pad}`))).toBe(code);
          expect(unwrap(UF.parse(code))).toBe(code);
        },
      ),
    );
  });
});

describe('normalizeCity', () => {
  it.each([
    ['sao paulo', 'sao paulo'],
    ['são paulo', 'sao paulo'],
    ['SÃO PAULO', 'sao paulo'],
    ['  São   Paulo  ', 'sao paulo'],
    ['rio de janeiro', 'rio de janeiro'],
    ['Ribeirão Preto', 'ribeirao preto'],
    ['brasília', 'brasilia'],
    ['sao paulo / sp', 'sao paulo'],
    ['sao paulo - sp', 'sao paulo'],
    ['sao paulo/sp', 'sao paulo'],
    ['sao paulo, sp', 'sao paulo'],
    ['Rio de Janeiro / RJ', 'rio de janeiro'],
    ['belo horizonte - mg', 'belo horizonte'],
    ['sao paulo / sp / sp', 'sao paulo'],
    ['santa bárbara d´oeste', "santa barbara d'oeste"],
    ['santa barbara d’oeste', "santa barbara d'oeste"],
    ['embu-guaçu', 'embu-guacu'],
    ['mogi-mirim', 'mogi-mirim'],
    ['são joão del-rei', 'sao joao del-rei'],
    ['campo grande-ms', 'campo grande-ms'],
    ['pau d\u0027arco', "pau d'arco"],
    ['sa\u0303o paulo', 'sao paulo'], // already decomposed
  ])('normalises %p to %p', (raw, expected) => {
    expect(cityOutcome(raw)).toBe(expected);
  });

  it.each([
    ['', AddressErrorCode.CITY_EMPTY],
    ['   ', AddressErrorCode.CITY_EMPTY],
    ['/ sp', AddressErrorCode.CITY_EMPTY],
    ['04482255', AddressErrorCode.CITY_NUMERIC],
    [' 04482255 ', AddressErrorCode.CITY_NUMERIC],
    ['04482255 / sp', AddressErrorCode.CITY_NUMERIC],
    ['vendas@creditparts.com.br', AddressErrorCode.CITY_EMAIL],
    ['sp / sp', AddressErrorCode.CITY_IS_UF],
    ['SP', AddressErrorCode.CITY_IS_UF],
    ['rj', AddressErrorCode.CITY_IS_UF],
  ])('flags %p as %s', (raw, code) => {
    expect(cityOutcome(raw)).toBe(code);
  });

  it('refuses non-string input at runtime', () => {
    expect(cityOutcome(undefined as unknown as string)).toBe(AddressErrorCode.CITY_EMPTY);
  });

  const cityLike = fc
    .array(
      fc.oneof(
        fc.constantFrom('são', 'paulo', 'RIO', 'de', 'Janeiro', 'ç', 'ã', '´', '’', '-', '/', ',', ' ', '  ', '\t', 'sp', 'SP', 'rj', 'd', "'", '@', '0', '42'),
        fc.string({ maxLength: 3 }),
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.join(''));

  it('property: idempotent on accepted values', () => {
    fc.assert(
      fc.property(fc.oneof(cityLike, fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })), (raw) => {
        const first = normalizeCity(raw);
        if (!first.ok) return;
        const second = normalizeCity(first.value);
        expect(second).toEqual(first);
      }),
    );
  });

  it('property: accepted values are trimmed, lower-case, accent-free and single-spaced', () => {
    fc.assert(
      fc.property(fc.oneof(cityLike, fc.string({ unit: 'grapheme' })), (raw) => {
        const r = normalizeCity(raw);
        if (!r.ok) {
          expect(Object.values(AddressErrorCode)).toContain(r.error.code);
          return;
        }
        expect(r.value).toBe(r.value.trim());
        expect(r.value).not.toMatch(/\s\s/);
        expect(r.value).not.toMatch(/\p{M}/u);
        expect(r.value).toBe(r.value.toLowerCase());
        expect(r.value).not.toMatch(/^\d+$/);
        expect(r.value).not.toContain('@');
      }),
    );
  });
});

describe('Address', () => {
  it('creates a normalised address', () => {
    const address = unwrap(Address.create({ zipPrefix: '1310.0', city: ' São Paulo / SP', state: 'sp' }));
    expect(address.zipPrefix.value).toBe('01310');
    expect(address.city).toBe('sao paulo');
    expect(address.state).toBe('SP');
    expect(Object.isFrozen(address)).toBe(true);
    expect(JSON.parse(JSON.stringify(address))).toEqual({ zipPrefix: '01310', city: 'sao paulo', state: 'SP' });
  });

  it('accepts a numeric zip prefix', () => {
    expect(unwrap(Address.create({ zipPrefix: 22290, city: 'Rio de Janeiro', state: 'RJ' })).zipPrefix.value).toBe('22290');
  });

  it('compares by value', () => {
    const a = unwrap(Address.create({ zipPrefix: '01310', city: 'sao paulo', state: 'SP' }));
    const b = unwrap(Address.create({ zipPrefix: '1310', city: 'SÃO PAULO', state: ' sp ' }));
    const c = unwrap(Address.create({ zipPrefix: '01311', city: 'sao paulo', state: 'SP' }));
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
  });

  it.each([
    [{ zipPrefix: '12', city: 'sao paulo', state: 'SP' }, AddressErrorCode.ZIP_TOO_SHORT],
    [{ zipPrefix: '01310', city: 'vendas@creditparts.com.br', state: 'SP' }, AddressErrorCode.CITY_EMAIL],
    [{ zipPrefix: '01310', city: '04482255', state: 'SP' }, AddressErrorCode.CITY_NUMERIC],
    [{ zipPrefix: '01310', city: 'sp / sp', state: 'SP' }, AddressErrorCode.CITY_IS_UF],
    [{ zipPrefix: '01310', city: 'sao paulo', state: 'XX' }, AddressErrorCode.UF_UNKNOWN],
    [{ zipPrefix: '', city: '', state: '' }, AddressErrorCode.ZIP_EMPTY], // first error wins
  ])('refuses %j with %s', (input, code) => {
    const r = Address.create(input);
    expect(r.ok ? 'ok' : r.error.code).toBe(code);
  });
});
