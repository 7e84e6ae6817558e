import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import type { QueryRunner } from 'typeorm';
import { createTestDatabase, TestDatabase } from '@olist/testing';
import { QualitySchema1764200000000 } from '../persistence/migrations/1764200000000-quality-schema';
import fc from 'fast-check';
import { stageCsvFile, type StageOptions } from './csv-staging.loader';
import { LoadInputError } from './load-input.error';

const REVIEWS_HEADER = 'review_id,order_id,review_score,review_comment_title,review_comment_message,review_creation_date,review_answer_timestamp';

describe('stageCsvFile', () => {
  let db: TestDatabase;
  let pool: Pool;
  let dir: string;
  let loadNo = 0;

  beforeAll(async () => {
    db = await createTestDatabase('staging');
    pool = new Pool({ connectionString: db.url, max: 2 });
    await pool.query('CREATE SCHEMA quality; CREATE SCHEMA staging;');
    await new QualitySchema1764200000000().up({ query: (sql: string) => pool.query(sql) } as unknown as QueryRunner);
    dir = mkdtempSync(path.join(tmpdir(), 'olist-staging-'));
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function stage(file: Parameters<typeof stageCsvFile>[2], content: Buffer | string, options: StageOptions = {}) {
    const loadId = `00000000-0000-4000-8000-${String(++loadNo).padStart(12, '0')}`;
    const fullPath = path.join(dir, `${loadNo}.csv`);
    writeFileSync(fullPath, content);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const staged = await stageCsvFile(client, loadId, file, fullPath, undefined, options);
      await client.query('COMMIT');
      return { staged, loadId };
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  const rows = async (table: string, loadId: string) =>
    (await pool.query(`SELECT * FROM staging.${table} WHERE load_id = $1 ORDER BY line`, [loadId])).rows;

  it('reads the original bytes: BOM, CRLF inside and between records, quoted multi-line comments with commas and quotes, digit-led quoted ids, no final newline', async () => {
    const content =
      '\ufeff' +
      `${REVIEWS_HEADER}\r\n` +
      `7bc2406110b926393aa56f80a40eba40,73fc7af87114b39712e6da79b0a377eb,4,,,2018-01-18 00:00:00,2018-01-18 21:46:59\r\n` +
      `"80e641a11e56f04c1ad469d5645fdfde",a548910a1c6147796b98fdf73dbeba33,5,"Ótimo","Recebi bem antes do prazo, ""adorei"".\r\nSegunda linha, com vírgula",2018-03-10 00:00:00,2018-03-11 03:05:13\r\n` +
      `228ce5500dc1d8e020d8d1322874b6f0,"0f5a3e8b8e1f0d5f6c9a4b2e1d0c9b8a",1,,"três\r\nlinhas\r\naqui",2018-02-17 00:00:00,2018-02-18 14:36:24`;
    const { staged, loadId } = await stage('order_reviews', content);
    expect(staged.reader).toBe('copy-csv');
    expect(staged.records).toBe(3);
    const got = await rows('order_reviews', loadId);
    expect(got.map((r) => r.line)).toEqual([2, 3, 5]);
    expect(got[0]).toMatchObject({ review_id: '7bc2406110b926393aa56f80a40eba40', review_comment_title: null, review_comment_message: null });
    expect(got[1]).toMatchObject({
      review_id: '80e641a11e56f04c1ad469d5645fdfde',
      review_comment_title: 'Ótimo',
      review_comment_message: 'Recebi bem antes do prazo, "adorei".\r\nSegunda linha, com vírgula',
      review_answer_timestamp: '2018-03-11 03:05:13',
    });
    expect(got[2]).toMatchObject({ order_id: '0f5a3e8b8e1f0d5f6c9a4b2e1d0c9b8a', review_comment_message: 'três\r\nlinhas\r\naqui' });
    expect(staged.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(staged.bytes).toBe(Buffer.byteLength(content));
  });

  it('reads re-saved copies (LF, unquoted 4-digit zips) as they are', async () => {
    const { staged, loadId } = await stage(
      'sellers',
      'seller_id,seller_zip_code_prefix,seller_city,seller_state\n3442f8959a84dea7ee197c632cb2df15,1046,sao paulo,SP\n"9d7a1d34a5052409006425275ba1c2b4","04482",04482255,SP\n',
    );
    expect(staged.records).toBe(2);
    expect((await rows('sellers', loadId)).map((r) => [r.line, r.seller_zip_code_prefix, r.seller_city])).toEqual([
      [2, '1046', 'sao paulo'],
      [3, '04482', '04482255'],
    ]);
  });

  it('keeps tabs and backslashes intact', async () => {
    const { loadId } = await stage('category_translation', 'product_category_name,product_category_name_english\r\n"a\\b\tc",x');
    expect((await rows('category_translation', loadId))[0]).toMatchObject({ product_category_name: 'a\\b\tc', product_category_name_english: 'x' });
  });

  const refuses = async (file: Parameters<typeof stageCsvFile>[2], content: Buffer | string, message: RegExp) => {
    const error = await stage(file, content).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LoadInputError);
    expect((error as Error).message).toMatch(message);
    return error as LoadInputError;
  };

  it('refuses a wrong header naming the expected and the found columns', async () => {
    await refuses('sellers', 'seller_id,zip,seller_city,seller_state\n1,2,3,4\n', /olist_sellers_dataset\.csv line 1: wrong header: expected seller_id, seller_zip_code_prefix, seller_city, seller_state; found seller_id, zip, seller_city, seller_state/);
  });

  it('refuses an empty file', async () => {
    await refuses('sellers', '', /olist_sellers_dataset\.csv line 1: is empty/);
  });

  it('refuses a truncated file: a record cut short, or a quote never closed', async () => {
    await refuses('sellers', 'seller_id,seller_zip_code_prefix,seller_city,seller_state\na,01046,sao paulo,SP\nb,01046', /line 3: has 2 fields where the header has 4/);
    await refuses('order_reviews', `${REVIEWS_HEADER}\r\na,b,5,,"never closed`, /line 2: a quoted field is never closed/);
  });

  it('refuses binary garbage and non-UTF-8 text with the line', async () => {
    await refuses('sellers', Buffer.concat([Buffer.from('seller_id,seller_zip_code_prefix,seller_city,seller_state\na,1,b,SP\n'), Buffer.from([0x00, 0xff, 0x13, 0x37])]), /line 3: contains a NUL byte/);
    await refuses('sellers', Buffer.concat([Buffer.from('seller_id,seller_zip_code_prefix,seller_city,seller_state\na,1,'), Buffer.from('são paulo', 'latin1'), Buffer.from(',SP\n')]), /line 2: is not UTF-8 text \(byte 0xe3\)/);
  });

  it('refuses a single enormous line without reading it all into memory', async () => {
    const huge = Buffer.alloc(200 * 1024 * 1024, 'x');
    const error = await refuses('sellers', Buffer.concat([Buffer.from('seller_id,seller_zip_code_prefix,seller_city,seller_state\n'), huge]), /line 2: a record is longer than 1024 KiB/);
    expect(error.line).toBe(2);
    // Writing and reading 200 MiB: on a busy 2-core machine this takes longer than Jest's default 5 s.
  }, 60_000);

  it('writes nothing when a file fails half-way', async () => {
    const good = Array.from({ length: 5_000 }, (_, i) => `s${i},01046,sao paulo,SP`).join('\n');
    await refuses('sellers', `seller_id,seller_zip_code_prefix,seller_city,seller_state\n${good}\nbroken,row\n`, /line 5002/);
    const left = await pool.query(`SELECT count(*)::int AS n FROM staging.sellers WHERE load_id = $1`, [`00000000-0000-4000-8000-${String(loadNo).padStart(12, '0')}`]);
    expect(left.rows[0].n).toBe(0);
  });
  describe('the two readers', () => {
    const SELLERS_HEADER = 'seller_id,seller_zip_code_prefix,seller_city,seller_state';
    const bothReaders = async (content: string) => {
      const viaCopy = await stage('sellers', content);
      const viaParse = await stage('sellers', content, { reader: 'csv-parse' });
      const strip = (r: Record<string, unknown>): Record<string, unknown> => ({ ...r, load_id: undefined });
      return {
        viaCopy,
        copyRows: (await rows('sellers', viaCopy.loadId)).map(strip),
        parseRows: (await rows('sellers', viaParse.loadId)).map(strip),
      };
    };

    it('hands a file COPY would read differently to csv-parse: a line starting with a backslash, a blank line', async () => {
      for (const content of [
        `${SELLERS_HEADER}\r\na,01046,"x\r\n\\.\r\ny",SP\r\nb,01047,z,RJ`,
        `${SELLERS_HEADER}\na,01046,x,SP\n\nb,01047,z,RJ\n`,
      ]) {
        const { viaCopy, copyRows, parseRows } = await bothReaders(content);
        expect(viaCopy.staged.reader).toBe('csv-parse');
        expect(copyRows).toEqual(parseRows);
        expect(copyRows.map((r) => r.seller_id)).toEqual(['a', 'b']);
      }
    });

    it('gives the same rows and lines as csv-parse for any CSV text (property)', async () => {
      const field = fc.oneof(
        fc.constantFrom('', '0', '01046', 'são paulo', 'a,b', 'say "hi"', 'x\r\ny', 'x\ny', 'a\\b', 'tab\there', ' padded '),
        fc.string({ maxLength: 12 }).filter((v) => !v.includes('\u0000')),
      );
      const quote = (v: string, force: boolean) => (force || /[",\r\n]/.test(v) || v.startsWith(' ') ? `"${v.replace(/"/g, '""')}"` : v);
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.tuple(field, field, field, field), fc.boolean()), { minLength: 1, maxLength: 25 }),
          fc.constantFrom('\r\n', '\n'),
          fc.boolean(),
          fc.boolean(),
          async (records, eol, finalNewline, bom) => {
            const body = records.map(([fields, force]) => fields.map((v) => quote(v, force)).join(',')).join(eol);
            const content = `${bom ? '\ufeff' : ''}${SELLERS_HEADER}${eol}${body}${finalNewline ? eol : ''}`;
            const { copyRows, parseRows } = await bothReaders(content);
            expect(copyRows).toEqual(parseRows);
            expect(copyRows).toHaveLength(records.length);
          },
        ),
        { numRuns: 40 },
      );
    });
  });
});
