import { Pool } from 'pg';
import type { QueryRunner } from 'typeorm';
import { messagingMigrations, PgTransactor } from '@olist/messaging';
import { IMPORT_COLUMNS, IMPORT_FILE_NAMES, IMPORT_SUBJECTS, type ImportFile } from '@olist/quality-contracts';
import { createTestDatabase, type TestDatabase } from '@olist/testing';
import { QualitySchema1764200000000 } from '../persistence/migrations/1764200000000-quality-schema';
import { runRules, syncRuleCatalog } from '../rules/quality-rules';
import { createStagingPartitionSql, stagingTable } from '../staging/staging-tables';
import { FEED_BATCH_ROWS, writeRawFeed } from './raw-feed.publisher';

type Values = Record<string, string | null>;
type Geo = [zip: string | null, lat: string | null, lng: string | null, city: string | null, state: string | null];

const geo = ([zip, lat, lng, city, state]: Geo): Values => ({
  geolocation_zip_code_prefix: zip,
  geolocation_lat: lat,
  geolocation_lng: lng,
  geolocation_city: city,
  geolocation_state: state,
});

const SE: Geo = ['01310', '-23.561414', '-46.655881', 'sao paulo', 'SP'];
const RIO: Geo = ['20040', '-22.906847', '-43.172897', 'rio de janeiro', 'RJ'];
const AT_SEA: Geo = ['01310', '-23.5', '46.6', 'sao paulo', 'SP'];
const NO_CITY: Geo = ['01310', '-23.55', '-46.63', null, 'SP'];
const QUOTED: Geo = ['29900', '-19.3911', '-40.0724', 'linhares "centro" \\ d\'ávila\tç', 'ES'];
const FOUR_DIGITS: Geo = ['1310', '-23.561414', '-46.655881', 'sao paulo', 'SP'];
const BAD_ZIP: Geo = ['abcde', '-23.561414', '-46.655881', 'sao paulo', 'SP'];
const LOWER_STATE: Geo = ['01310', '-23.5', '-46.6', 'sao paulo', 'sp'];

/** Staged from line 2 on, with the lines the feed publishes: the first copy of each accepted row. */
const FIRST_LOAD: readonly Geo[] = [
  SE, // 2
  SE, // 3: duplicate of 2
  RIO, // 4
  SE, // 5: duplicate of 2
  AT_SEA, // 6: quarantined (outside Brazil)
  AT_SEA, // 7: quarantined, and a duplicate of 6
  NO_CITY, // 8
  NO_CITY, // 9: duplicate of 8 (NULL equals NULL)
  QUOTED, // 10
  FOUR_DIGITS, // 11: a warning only
  FOUR_DIGITS, // 12: duplicate of 11
  BAD_ZIP, // 13: quarantined
  LOWER_STATE, // 14
  RIO, // 15: duplicate of 4
];
const FIRST_LOAD_PUBLISHED = [2, 4, 8, 10, 11, 14];

describe('raw feed publisher', () => {
  let db: TestDatabase;
  let pool: Pool;
  let transactor: PgTransactor;
  let loadNo = 0;
  const recordedAt = new Date('2026-01-02T03:04:05.678Z');

  beforeAll(async () => {
    db = await createTestDatabase('quality_raw_feed');
    pool = new Pool({ connectionString: db.url, max: 2 });
    transactor = new PgTransactor(pool);
    await pool.query('CREATE SCHEMA quality; CREATE SCHEMA staging;');
    const runner = { query: (sql: string) => pool.query(sql) } as unknown as QueryRunner;
    for (const migration of messagingMigrations('quality')) await new migration().up(runner);
    await new QualitySchema1764200000000().up(runner);
    await transactor.transaction((tx) => syncRuleCatalog(tx));
  });

  afterAll(async () => {
    await pool?.end();
    await db?.drop();
  });

  /** A load of one file, its rows staged from line 2 on and judged by the rules. */
  async function load(file: ImportFile, rows: readonly Values[]): Promise<string> {
    const loadId = `00000000-0000-4000-8000-${String(++loadNo).padStart(12, '0')}`;
    await pool.query(`INSERT INTO quality.loads (id, source, status, started_at) VALUES ($1, 'test', 'staged', now())`, [loadId]);
    await pool.query(createStagingPartitionSql(file, loadId));
    const columns = IMPORT_COLUMNS[file] as readonly string[];
    await pool.query(
      `INSERT INTO ${stagingTable(file)} (load_id, line, ${columns.map((c) => `"${c}"`).join(', ')})
       SELECT $1, 1 + ordinality, ${columns.map((c) => `r ->> '${c}'`).join(', ')}
         FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS t (r, ordinality)`,
      [loadId, JSON.stringify(rows)],
    );
    await transactor.transaction((tx) => runRules(tx, loadId));
    return loadId;
  }

  const publish = (loadId: string, file: ImportFile, previous: string | null = null) =>
    transactor.transaction((tx) => writeRawFeed(tx, loadId, file, recordedAt, previous));

  /** The load's messages as written: id and envelope text, in outbox order. */
  const written = async (loadId: string, file: ImportFile) =>
    (
      await pool.query<{ id: string; subject: string; envelope: string }>(
        `SELECT id::text, subject, envelope::text AS envelope FROM quality.outbox WHERE aggregate_id = $1 ORDER BY position`,
        [`${loadId}:${file}`],
      )
    ).rows;

  const publishedRows = async (loadId: string, file: ImportFile) =>
    (await written(loadId, file)).flatMap(
      (m) => (JSON.parse(m.envelope) as { payload: { rows: { line: number; values: Values }[] } }).payload.rows,
    );

  /**
   * The messages the feed wrote before duplicate geolocation rows were left out by their verdict:
   * the accepted rows grouped by their columns (or by their digest after a previous load), each
   * group at its first line, their JSON built with json_build_object.
   */
  async function formerFeed(loadId: string, file: ImportFile, previous: string | null): Promise<{ id: string; envelope: string }[]> {
    const columns = IMPORT_COLUMNS[file] as readonly string[];
    const dedupe = file === 'geolocation';
    const digest = `md5(concat_ws(E'\\x1f', ${columns.map((c) => `coalesce(s."${c}", E'\\x1e')`).join(', ')}))::uuid`;
    const accepted = (load: string) =>
      `s.load_id = ${load} AND NOT EXISTS (SELECT 1 FROM quality.verdicts v WHERE v.load_id = ${load} AND v.file = $2 AND v.line = s.line AND v.severity = 'error')`;
    const changed =
      previous === null
        ? `SELECT ${dedupe ? 'min(s.line) AS line' : 's.line'} FROM ${stagingTable(file)} s WHERE ${accepted('$1')} AND $6::uuid IS NULL
           ${dedupe ? `GROUP BY ${columns.map((c) => `s."${c}"`).join(', ')}` : ''}`
        : `SELECT ${dedupe ? 'min(h.line) AS line' : 'h.line'}
             FROM (SELECT s.line, ${digest} AS row_hash FROM ${stagingTable(file)} s WHERE ${accepted('$1')}) h
            WHERE NOT EXISTS (SELECT 1 FROM ${stagingTable(file)} s WHERE ${accepted('$6::uuid')} AND ${digest} = h.row_hash)
            ${dedupe ? 'GROUP BY h.row_hash' : ''}`;
    const { rows } = await pool.query<{ id: string; envelope: string }>(
      `WITH messages AS (
         SELECT b.batch, md5($1 || ':' || $2 || ':' || b.batch)::uuid AS id,
                json_agg(json_build_object('line', s.line, 'values', json_build_object(${columns.map((c) => `'${c}', s."${c}"`).join(', ')}))
                         ORDER BY s.line) AS rows
           FROM (SELECT line, (row_number() OVER (ORDER BY line) - 1) / $3 + 1 AS batch FROM (${changed}) c) b
           JOIN ${stagingTable(file)} s ON s.load_id = $1 AND s.line = b.line
          GROUP BY b.batch
       )
       SELECT id::text,
              json_build_object(
                'id', id, 'type', 'import.' || $2, 'version', 1, 'occurredAt', $4::text, 'recordedAt', $4::text,
                'aggregateId', $1 || ':' || $2, 'correlationId', $1::text, 'causationId', NULL,
                'payload', json_build_object('loadId', $1::text, 'file', $5::text, 'batch', batch, 'rows', rows))::text AS envelope
         FROM messages ORDER BY batch`,
      [loadId, file, FEED_BATCH_ROWS, recordedAt.toISOString(), IMPORT_FILE_NAMES[file], previous],
    );
    return rows;
  }

  describe('the geolocation file of a first load', () => {
    let loadId: string;
    let result: Awaited<ReturnType<typeof writeRawFeed>>;

    beforeAll(async () => {
      loadId = await load('geolocation', FIRST_LOAD.map(geo));
      result = await publish(loadId, 'geolocation');
    });

    it('is judged as the rows say: copies after the first marked, the copy of a quarantined row quarantined too', async () => {
      const { rows } = await pool.query<{ line: number; codes: string[] }>(
        `SELECT line, array_agg(rule_code ORDER BY rule_code) AS codes FROM quality.verdicts WHERE load_id = $1 GROUP BY line ORDER BY line`,
        [loadId],
      );
      expect(rows).toEqual([
        { line: 3, codes: ['GEO.DUPLICATE_ROW'] },
        { line: 5, codes: ['GEO.DUPLICATE_ROW'] },
        { line: 6, codes: ['GEO.OUTSIDE_BRAZIL'] },
        { line: 7, codes: ['GEO.DUPLICATE_ROW', 'GEO.OUTSIDE_BRAZIL'] },
        { line: 9, codes: ['GEO.DUPLICATE_ROW'] },
        { line: 11, codes: ['GEO.ZIP_LEADING_ZERO_LOST'] },
        { line: 12, codes: ['GEO.DUPLICATE_ROW', 'GEO.ZIP_LEADING_ZERO_LOST'] },
        { line: 13, codes: ['GEO.ZIP_INVALID'] },
        { line: 15, codes: ['GEO.DUPLICATE_ROW'] },
      ]);
    });

    it('publishes each accepted row once, at its first line, with its values as staged', async () => {
      expect(result).toEqual({ file: 'geolocation', rows: FIRST_LOAD_PUBLISHED.length, messages: 1 });
      expect(await publishedRows(loadId, 'geolocation')).toEqual(
        FIRST_LOAD_PUBLISHED.map((line) => ({ line, values: geo(FIRST_LOAD[line - 2] as Geo) })),
      );
      const [message] = await written(loadId, 'geolocation');
      expect(message?.subject).toBe(IMPORT_SUBJECTS.geolocation);
    });

    it('writes byte for byte the messages it wrote when it grouped the rows by their columns', async () => {
      expect(await written(loadId, 'geolocation')).toEqual(
        (await formerFeed(loadId, 'geolocation', null)).map((m) => ({ ...m, subject: IMPORT_SUBJECTS.geolocation })),
      );
    });

    it('written again, adds no message and still counts the rows', async () => {
      expect(await publish(loadId, 'geolocation')).toEqual({ file: 'geolocation', rows: FIRST_LOAD_PUBLISHED.length, messages: 0 });
      expect(await written(loadId, 'geolocation')).toHaveLength(1);
    });
  });

  it('numbers the batches over the published rows, the duplicates left out', async () => {
    // Every third row repeats the one before it; every 50th lies outside Brazil, its copy too.
    const rows: Geo[] = [];
    const expected: number[] = [];
    for (let i = 0; rows.length < 1_300; i++) {
      const row: Geo = [String(10_000 + i), i % 50 === 7 ? '40.1' : `-2${i % 10}.${i}`, `-4${i % 7}.${i}`, `cidade ${i}`, 'MG'];
      if (i % 50 !== 7) expected.push(rows.length + 2);
      rows.push(row);
      if (i % 3 === 0) rows.push([...row]);
    }
    const loadId = await load('geolocation', rows.map(geo));
    const former = await formerFeed(loadId, 'geolocation', null);
    const result = await publish(loadId, 'geolocation');
    expect(expected.length).toBeGreaterThan(FEED_BATCH_ROWS);
    expect(result).toEqual({ file: 'geolocation', rows: expected.length, messages: Math.ceil(expected.length / FEED_BATCH_ROWS) });
    const messages = await written(loadId, 'geolocation');
    const batches = messages.map((m) => (JSON.parse(m.envelope) as { payload: { batch: number; rows: { line: number }[] } }).payload);
    expect(batches.map((b) => b.batch)).toEqual(batches.map((_, i) => i + 1));
    expect(batches.flatMap((b) => b.rows.map((r) => r.line))).toEqual(expected);
    expect(batches.map((b) => b.rows.length)).toEqual(batches.map((_, i) => Math.min(FEED_BATCH_ROWS, expected.length - i * FEED_BATCH_ROWS)));
    expect(messages.map(({ id, envelope }) => ({ id, envelope }))).toEqual(former);
  });

  it('after a published load, publishes the new and changed rows once and nothing it already published', async () => {
    const first = await load('geolocation', FIRST_LOAD.map(geo));
    await publish(first, 'geolocation');
    const CHANGED: Geo = [...RIO.slice(0, 3), 'rio', 'RJ'] as Geo;
    const NEW: Geo = ['30130', '-19.92', '-43.94', 'belo horizonte', 'MG'];
    const second = await load(
      'geolocation',
      [
        SE, // 2: published before
        CHANGED, // 3
        NEW, // 4
        NEW, // 5: duplicate of 4
        AT_SEA, // 6: quarantined
        AT_SEA, // 7: quarantined, duplicate of 6
        QUOTED, // 8: published before
        CHANGED, // 9: duplicate of 3
        SE, // 10: duplicate of 2
        NO_CITY, // 11: published before
      ].map(geo),
    );
    const former = await formerFeed(second, 'geolocation', first);
    expect(await publish(second, 'geolocation', first)).toEqual({ file: 'geolocation', rows: 2, messages: 1 });
    expect(await publishedRows(second, 'geolocation')).toEqual([
      { line: 3, values: geo(CHANGED) },
      { line: 4, values: geo(NEW) },
    ]);
    expect((await written(second, 'geolocation')).map(({ id, envelope }) => ({ id, envelope }))).toEqual(former);

    const again = await load('geolocation', FIRST_LOAD.map(geo));
    expect(await publish(again, 'geolocation', first)).toEqual({ file: 'geolocation', rows: 0, messages: 0 });
  });

  it('writes the other files byte for byte as before: every accepted row, copies included, text escaped alike', async () => {
    const review = (id: string | null, title: string | null, message: string | null): Values => ({
      review_id: id,
      order_id: 'o1',
      review_score: '5',
      review_comment_title: title,
      review_comment_message: message,
      review_creation_date: '2018-01-06 00:00:00',
      review_answer_timestamp: '2018-01-07 10:00:00',
    });
    const first = await load('order_reviews', [
      review('r1', null, 'Recomendo, "ótimo"!\r\nChegou antes do prazo \\o/'),
      review('r1', null, 'Recomendo, "ótimo"!\r\nChegou antes do prazo \\o/'),
      review(null, 'sem id', null),
      review('r2', 'tab\there', 'emoji 👍 and control \u0001'),
    ]);
    const former = await formerFeed(first, 'order_reviews', null);
    expect(await publish(first, 'order_reviews')).toEqual({ file: 'order_reviews', rows: 3, messages: 1 });
    expect((await publishedRows(first, 'order_reviews')).map((r) => r.line)).toEqual([2, 3, 5]);
    expect((await written(first, 'order_reviews')).map(({ id, envelope }) => ({ id, envelope }))).toEqual(former);

    const second = await load('order_reviews', [review('r2', 'tab\there', 'emoji 👍 and control \u0001'), review('r3', null, null)]);
    const formerChanged = await formerFeed(second, 'order_reviews', first);
    expect(await publish(second, 'order_reviews', first)).toEqual({ file: 'order_reviews', rows: 1, messages: 1 });
    expect((await written(second, 'order_reviews')).map(({ id, envelope }) => ({ id, envelope }))).toEqual(formerChanged);
  });
});
