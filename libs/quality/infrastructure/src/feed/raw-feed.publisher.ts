import type { SqlTx } from '@olist/messaging';
import { IMPORT_COLUMNS, IMPORT_FILE_NAMES, IMPORT_SUBJECTS, type ImportFile } from '@olist/quality-contracts';
import { stagingTable } from '../staging/staging-tables';

/** Rows per raw-feed message (the contract allows up to 1,000). */
export const FEED_BATCH_ROWS = 500;

/**
 * The rule whose verdict marks every copy of an identical geolocation row after its first line
 * (every column compared, NULL equal to NULL). The feed leaves the rows it marks out instead of
 * grouping a million rows by their columns.
 *
 * That publishes each accepted geolocation row once, at its first line, only because every
 * geolocation rule that can quarantine a row (severity `error`: GEO.ZIP_INVALID,
 * GEO.STATE_UNKNOWN, GEO.COORDINATES_INVALID, GEO.OUTSIDE_BRAZIL) is a row rule that reads nothing
 * but the row's own columns: identical copies are all accepted or all quarantined, so the first
 * copy of an accepted row is accepted too. An error rule that judged a copy by its line or by
 * other rows would break this; raw-feed.publisher.spec fails when one is added.
 */
export const GEO_DUPLICATE_RULE = 'GEO.DUPLICATE_ROW';

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** A 128-bit digest of a row's columns (NULL kept distinct from every text), as a uuid. */
const digest = (columns: readonly string[]) =>
  `md5(concat_ws(E'\\x1f', ${columns.map((c) => `coalesce(s.${ident(c)}, E'\\x1e')`).join(', ')}))::uuid`;

const QUARANTINED = `v.severity = 'error'`;

/** The staging rows `s` of load `load` without a verdict matching `verdict` (a condition on `v`). */
const without = (load: string, verdict: string) =>
  `NOT EXISTS (SELECT 1 FROM quality.verdicts v WHERE v.load_id = ${load} AND v.file = $2 AND v.line = s.line AND ${verdict})`;

/**
 * `{"line" : 2, "values" : {"<column>" : "<text>", …}}`. json_object over a key and a value array
 * writes the bytes json_build_object writes for text values (the same separators, escaping and
 * `null`) in about two thirds of the time per row.
 */
const rowJson = (columns: readonly string[]) =>
  `json_build_object('line', s.line, 'values', json_object(ARRAY[${columns.map(literal).join(', ')}]::text[], ARRAY[${columns
    .map((c) => `s.${ident(c)}`)
    .join(', ')}]::text[]))`;

export interface FeedWriteResult {
  readonly file: ImportFile;
  /** Accepted rows that are new or changed since the last published load. */
  readonly rows: number;
  readonly messages: number;
}

/**
 * Writes the accepted rows of a load that differ from every accepted row of the previous
 * published load (`previousLoadId`, whose staging data is kept for this) as batched
 * `olist.import.<file>.v1` events into the quality outbox — one SQL statement per file, no rows
 * travel through the loader. An identical re-load writes nothing; a changed row is published
 * again; exact duplicate geolocation rows are published once, at their first line (the copies
 * GEO_DUPLICATE_RULE marks are left out). Message ids derive from load:file:batch.
 */
export async function writeRawFeed(
  tx: SqlTx,
  loadId: string,
  file: ImportFile,
  recordedAt: Date,
  previousLoadId: string | null,
): Promise<FeedWriteResult> {
  const columns = IMPORT_COLUMNS[file] as readonly string[];
  const row = ['s.line', ...columns.map((c) => `s.${ident(c)}`)].join(', ');
  const leftOut = file === 'geolocation' ? `(${QUARANTINED} OR v.rule_code = ${literal(GEO_DUPLICATE_RULE)})` : QUARANTINED;
  // The rows to publish in one pass over the load's partition, numbered in line order: the accepted
  // ones, less the later copies of a geolocation row, and after a published load only those whose
  // digest none of its accepted rows has. The digest is computed in a level of its own (OFFSET 0):
  // written in the join condition, it would be computed again to recheck every match.
  const accepted = `SELECT ${row} FROM ${stagingTable(file)} s WHERE s.load_id = $1 AND ${without('$1', leftOut)}`;
  const published =
    previousLoadId === null
      ? `${accepted} AND $8::uuid IS NULL`
      : `SELECT ${row} FROM (SELECT s.*, ${digest(columns)} AS row_hash FROM (${accepted}) s OFFSET 0) s
          WHERE NOT EXISTS (SELECT 1 FROM previous p WHERE p.row_hash = s.row_hash)`;
  // Memory for the two sorts of the rows: by line to number them, by batch to group them.
  await tx.query(`SET LOCAL work_mem = '256MB'`);
  const [result] = await tx.query<{ rows: number; messages: number }>(
    `WITH ${
      previousLoadId === null
        ? ''
        : `previous AS MATERIALIZED (
       SELECT DISTINCT ${digest(columns)} AS row_hash FROM ${stagingTable(file)} s
        WHERE s.load_id = $8::uuid AND ${without('$8::uuid', QUARANTINED)}
     ),`
    }
     numbered AS (
       SELECT s.*, (row_number() OVER (ORDER BY s.line) - 1) / $3 + 1 AS batch FROM (${published}) s
     ),
     messages AS (
       SELECT s.batch, md5($1 || ':' || $2 || ':' || s.batch)::uuid AS id, count(*) AS rows,
              json_agg(${rowJson(columns)} ORDER BY s.line) AS batch_rows
         FROM numbered s
        GROUP BY s.batch
     ),
     written AS (
       INSERT INTO quality.outbox (id, subject, type, version, aggregate_id, correlation_id, causation_id, envelope)
       SELECT id, $4, $5, 1, $1 || ':' || $2, $1, NULL,
              json_build_object(
                'id', id, 'type', $5::text, 'version', 1, 'occurredAt', $6::text, 'recordedAt', $6::text,
                'aggregateId', $1 || ':' || $2, 'correlationId', $1::text, 'causationId', NULL,
                'payload', json_build_object('loadId', $1::text, 'file', $7::text, 'batch', batch, 'rows', batch_rows))
         FROM messages
       ON CONFLICT (id) DO NOTHING
       RETURNING 1
     )
     SELECT (SELECT coalesce(sum(rows), 0) FROM messages)::int AS rows, (SELECT count(*) FROM written)::int AS messages`,
    [loadId, file, FEED_BATCH_ROWS, IMPORT_SUBJECTS[file], `import.${file}`, recordedAt.toISOString(), IMPORT_FILE_NAMES[file], previousLoadId],
  );
  return { file, rows: result?.rows ?? 0, messages: result?.messages ?? 0 };
}
