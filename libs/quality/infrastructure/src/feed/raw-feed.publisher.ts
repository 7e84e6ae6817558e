import type { SqlTx } from '@olist/messaging';
import { IMPORT_COLUMNS, IMPORT_FILE_NAMES, IMPORT_SUBJECTS, type ImportFile } from '@olist/quality-contracts';
import { stagingTable } from '../staging/staging-tables';

/** Rows per raw-feed message (the contract allows up to 1,000). */
export const FEED_BATCH_ROWS = 500;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** A 128-bit digest of a row's columns (NULL kept distinct from every text), as a uuid. */
const digest = (columns: readonly string[]) =>
  `md5(concat_ws(E'\\x1f', ${columns.map((c) => `coalesce(s.${ident(c)}, E'\\x1e')`).join(', ')}))::uuid`;

const notQuarantined = (load: string) =>
  `NOT EXISTS (SELECT 1 FROM quality.verdicts v WHERE v.load_id = ${load} AND v.file = $2 AND v.line = s.line AND v.severity = 'error')`;

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
 * again; exact duplicate geolocation rows are published once. Message ids derive from
 * load:file:batch.
 */
export async function writeRawFeed(
  tx: SqlTx,
  loadId: string,
  file: ImportFile,
  recordedAt: Date,
  previousLoadId: string | null,
): Promise<FeedWriteResult> {
  const columns = IMPORT_COLUMNS[file] as readonly string[];
  const content = digest(columns);
  const values = `json_build_object(${columns.map((c) => `'${c}', s.${ident(c)}`).join(', ')})`;
  const dedupe = file === 'geolocation';
  await tx.query(`SET LOCAL work_mem = '256MB'`);
  // Only a comparison with a previous load needs the rows' digests. A first load takes every
  // accepted row as it is, deduplicating geolocation rows on their columns; duplicates keep their
  // first line (hash aggregation: no sort of the million geolocation rows).
  const accepted = `${stagingTable(file)} s WHERE s.load_id = $1 AND ${notQuarantined('$1')}`;
  const changed =
    previousLoadId === null
      ? `changed AS MATERIALIZED (
       SELECT ${dedupe ? 'min(s.line) AS line' : 's.line'} FROM ${accepted} AND $8::uuid IS NULL
       ${dedupe ? `GROUP BY ${columns.map((c) => `s.${ident(c)}`).join(', ')}` : ''}
     ),`
      : `previous AS MATERIALIZED (
       SELECT DISTINCT ${content} AS row_hash FROM ${stagingTable(file)} s
        WHERE s.load_id = $8::uuid AND ${notQuarantined('$8::uuid')}
     ),
     hashed AS MATERIALIZED (
       SELECT s.line, ${content} AS row_hash FROM ${accepted}
     ),
     changed AS MATERIALIZED (
       SELECT ${dedupe ? 'min(h.line) AS line' : 'h.line'} FROM hashed h
        WHERE NOT EXISTS (SELECT 1 FROM previous p WHERE p.row_hash = h.row_hash)
        ${dedupe ? 'GROUP BY h.row_hash' : ''}
     ),`;
  const [result] = await tx.query<{ rows: number; messages: number }>(
    `WITH ${changed}
     messages AS (
       SELECT b.batch, md5($1 || ':' || $2 || ':' || b.batch)::uuid AS id,
              json_agg(json_build_object('line', s.line, 'values', ${values}) ORDER BY s.line) AS rows
         FROM (SELECT line, (row_number() OVER (ORDER BY line) - 1) / $3 + 1 AS batch FROM changed) b
         JOIN ${stagingTable(file)} s ON s.load_id = $1 AND s.line = b.line
        GROUP BY b.batch
     ),
     written AS (
       INSERT INTO quality.outbox (id, subject, type, version, aggregate_id, correlation_id, causation_id, envelope)
       SELECT id, $4, $5, 1, $1 || ':' || $2, $1, NULL,
              json_build_object(
                'id', id, 'type', $5::text, 'version', 1, 'occurredAt', $6::text, 'recordedAt', $6::text,
                'aggregateId', $1 || ':' || $2, 'correlationId', $1::text, 'causationId', NULL,
                'payload', json_build_object('loadId', $1::text, 'file', $7::text, 'batch', batch, 'rows', rows))
         FROM messages
       ON CONFLICT (id) DO NOTHING
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM changed)::int AS rows, (SELECT count(*) FROM written)::int AS messages`,
    [loadId, file, FEED_BATCH_ROWS, IMPORT_SUBJECTS[file], `import.${file}`, recordedAt.toISOString(), IMPORT_FILE_NAMES[file], previousLoadId],
  );
  return { file, rows: result?.rows ?? 0, messages: result?.messages ?? 0 };
}
