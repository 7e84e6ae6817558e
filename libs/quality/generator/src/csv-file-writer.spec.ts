import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { CsvFileWriter, encodeText } from './csv-file-writer';
import { OLIST_FILES, OlistFileFormat } from './olist-files';

describe('encodeText', () => {
  it('quotes a field that starts with a digit, as the original files do', () => {
    expect(encodeText('01310')).toBe('"01310"');
    expect(encodeText('0a3f')).toBe('"0a3f"');
    expect(encodeText('a03f')).toBe('a03f');
    expect(encodeText('sao paulo')).toBe('sao paulo');
  });

  it('quotes commas, quotes and line breaks and doubles inner quotes', () => {
    expect(encodeText('bom, recomendo')).toBe('"bom, recomendo"');
    expect(encodeText('o "premium"')).toBe('"o ""premium"""');
    expect(encodeText('linha 1\r\nlinha 2')).toBe('"linha 1\r\nlinha 2"');
    expect(encodeText('')).toBe('');
  });

  it('round-trips any text through csv-parse', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', '1', ',', '"', '\r\n', '\n', ' ', 'ç') }), { minLength: 1, maxLength: 4 }), (fields) => {
        const nonEmpty = fields.map((f) => (f === '' ? 'x' : f));
        const line = nonEmpty.map(encodeText).join(',');
        expect(parse(line, { relax_column_count: false })).toEqual([nonEmpty]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('CsvFileWriter', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'olist-csv-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const writeFile = async (format: OlistFileFormat, rows: (string | null)[][], flushAt?: number) => {
    const writer = new CsvFileWriter(join(dir, format.name), format, flushAt);
    for (const row of rows) {
      writer.write(row);
      await writer.flushIfFull();
    }
    await writer.close();
    return readFileSync(join(dir, format.name), 'utf8');
  };

  it('writes the translation format: BOM, unquoted header, CRLF, no final newline', async () => {
    const text = await writeFile(OLIST_FILES.translations, [
      ['beleza_saude', 'health_beauty'],
      ['pcs', 'computers'],
    ]);
    expect(text).toBe('\ufeffproduct_category_name,product_category_name_english\r\nbeleza_saude,health_beauty\r\npcs,computers');
  });

  it('writes quoted headers, LF, a final newline, empty fields for null, values unquoted', async () => {
    const text = await writeFile(OLIST_FILES.payments, [['0abc', '1', 'credit_card', '2', '10.50'], ['abc', '2', null, '1', '3.00']]);
    expect(text).toBe(
      '"order_id","payment_sequential","payment_type","payment_installments","payment_value"\n' +
        '"0abc",1,credit_card,2,10.50\n' +
        'abc,2,,1,3.00\n',
    );
  });

  it('keeps every row when the buffer is flushed often', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => [`r${i}`, `o${i}`, '5', null, 'linha 1\r\nlinha 2', '2018-01-01 00:00:00', '2018-01-02 10:00:00']);
    const text = await writeFile(OLIST_FILES.reviews, rows, 1024);
    const parsed = parse(text, { bom: true }) as string[][];
    expect(parsed).toHaveLength(5001);
    expect(parsed[4321]).toEqual(['r4320', 'o4320', '5', '', 'linha 1\r\nlinha 2', '2018-01-01 00:00:00', '2018-01-02 10:00:00']);
  });
});
