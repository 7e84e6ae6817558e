import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Transform, type TransformCallback, Writable } from 'node:stream';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import type { ClientBase } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { IMPORT_COLUMNS, IMPORT_FILE_NAMES, type ImportFile } from '@olist/quality-contracts';
import { LoadInputError } from './load-input.error';
import { createStagingPartitionSql, stagingPartition } from './staging-tables';
import { Utf8Guard } from './utf8-guard';

/** No Olist record comes near this; a longer one means the file is not what its name says. */
export const MAX_RECORD_BYTES = 1 << 20;
const ROWS_PER_WRITE = 2_000;
/** Characters COPY's text format needs escaped. */
const SPECIAL = /[\\\t\n\r]/;

export interface StageProgress {
  readonly file: ImportFile;
  readonly records: number;
  readonly bytes: number;
  readonly totalBytes: number;
  /** Set on the last report of a file, once every record is in staging. */
  readonly done?: boolean;
}

export interface StagedFile {
  readonly file: ImportFile;
  readonly fileName: string;
  readonly records: number;
  readonly bytes: number;
  readonly sha256: string;
  readonly seconds: number;
  /** Which reader staged it: PostgreSQL's CSV COPY on the bytes as they are, or csv-parse. */
  readonly reader: StagingReader;
}

export type StagingReader = 'copy-csv' | 'csv-parse';

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** A COPY text-format field: NULL for an empty CSV field, escapes for backslash, tab and line breaks. */
function copyField(value: string): string {
  if (value === '') return '\\N';
  if (!/[\\\t\n\r]/.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

function newlinesIn(value: string): number {
  let n = 0;
  for (let i = value.indexOf('\n'); i !== -1; i = value.indexOf('\n', i + 1)) n++;
  return n;
}

export interface StageOptions {
  /**
   * `auto` (default): PostgreSQL's CSV COPY on the file's bytes, and csv-parse for a file COPY
   * refuses or could read differently; `copy-csv` or `csv-parse` force one reader.
   */
  readonly reader?: StagingReader | 'auto';
}

/**
 * Streams one Olist CSV file into its staging partition — no row-by-row INSERTs, and the caller's
 * client runs it in its own transaction, so a failure leaves nothing half-written.
 *
 * Two readers, one result. First the file's bytes go to `COPY … (FORMAT csv)` as they are (the
 * header checked with csv-parse and cut off, the bytes checked for UTF-8 and hashed on the way):
 * PostgreSQL's own CSV reader, on its own core, is what `psql \copy` runs, and it reads the
 * published files exactly as csv-parse does. When COPY refuses the file (a malformed record, mixed
 * line endings, a blank line) or the file holds what the two readers could take differently (a
 * line starting with a backslash, a line over MAX_RECORD_BYTES), that attempt is rolled back to a
 * savepoint and the csv-parse reader stages the file or names the file and line of the problem.
 */
export async function stageCsvFile(
  client: ClientBase,
  loadId: string,
  file: ImportFile,
  path: string,
  onProgress?: (progress: StageProgress) => void,
  options: StageOptions = {},
): Promise<StagedFile> {
  const reader = options.reader ?? 'auto';
  if (reader === 'csv-parse') return stageWithCsvParse(client, loadId, file, path, onProgress);
  await client.query('SAVEPOINT olist_stage_copy_csv');
  try {
    const staged = await stageWithCopyCsv(client, loadId, file, path, onProgress);
    await client.query('RELEASE SAVEPOINT olist_stage_copy_csv');
    return staged;
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT olist_stage_copy_csv');
    // Header, encoding and empty-file errors are final: csv-parse would report the same.
    if (error instanceof LoadInputError || reader === 'copy-csv') throw error;
    return stageWithCsvParse(client, loadId, file, path, onProgress);
  }
}

/** Raised on the COPY path for a file the csv-parse reader must take instead. */
export class NeedsCsvParse extends Error {
  constructor(reason: string) {
    super(`needs the csv-parse reader: ${reason}`);
    this.name = 'NeedsCsvParse';
  }
}

const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;

/**
 * The bytes after the header line, for COPY. The header is checked with csv-parse and dropped.
 * It gives up (NeedsCsvParse) on a line that starts with a backslash (`\.` ends COPY's data) or a
 * line longer than MAX_RECORD_BYTES, and counts the body's newlines: when they equal the records
 * COPY took, no record spans lines and each record's line is its ordinal + 1.
 */
class CsvBody extends Transform {
  private header: Buffer[] | undefined = [];
  private headerBytes = 0;
  private lineBytes = 0;
  private lastByte = NEWLINE;
  newlines = 0;
  bodyBytes = 0;

  constructor(
    private readonly checkHeader: (record: readonly string[]) => Error | undefined,
    private readonly onLines: (lines: number) => void,
  ) {
    super();
  }

  /** Physical lines of the body: its newlines, plus a last line without one. */
  get lines(): number {
    return this.newlines + (this.bodyBytes > 0 && this.lastByte !== NEWLINE ? 1 : 0);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let body = chunk;
    if (this.header) {
      const end = chunk.indexOf(NEWLINE);
      if (end === -1) {
        this.header.push(chunk);
        this.headerBytes += chunk.length;
        return done(this.headerBytes > MAX_RECORD_BYTES ? new NeedsCsvParse('a header line without end') : undefined);
      }
      this.header.push(chunk.subarray(0, end));
      const error = this.endHeader();
      if (error) return done(error);
      body = chunk.subarray(end + 1);
    }
    if (body.length === 0) return done();
    if (this.lastByte === NEWLINE && body[0] === BACKSLASH) return done(new NeedsCsvParse('a line starts with a backslash'));
    let from = 0;
    for (let i = body.indexOf(NEWLINE); i !== -1; i = body.indexOf(NEWLINE, i + 1)) {
      if (this.lineBytes + (i - from) > MAX_RECORD_BYTES) return done(new NeedsCsvParse('a line is too long'));
      this.lineBytes = 0;
      from = i + 1;
      this.newlines++;
      if (body[i + 1] === BACKSLASH) return done(new NeedsCsvParse('a line starts with a backslash'));
    }
    this.lineBytes += body.length - from;
    if (this.lineBytes > MAX_RECORD_BYTES) return done(new NeedsCsvParse('a line is too long'));
    this.lastByte = body[body.length - 1] as number;
    this.bodyBytes += body.length;
    this.onLines(this.newlines);
    done(null, body);
  }

  override _flush(done: TransformCallback): void {
    done(this.header ? this.endHeader() : undefined);
  }

  private endHeader(): Error | undefined {
    const line = Buffer.concat(this.header ?? []).toString('utf8');
    this.header = undefined;
    let record: string[];
    try {
      [record = []] = parseSync(line.replace(/\r$/, ''), { bom: true, relax_column_count: true }) as string[][];
    } catch {
      return new NeedsCsvParse('the header line is not a complete CSV record');
    }
    return this.checkHeader(record);
  }
}

/**
 * What both readers start from: the file's name and columns, its size (an empty file is refused),
 * the guard every byte passes through (UTF-8 and NUL checks, line of a bad byte, SHA-256), and
 * what a reader returns once it is done.
 */
async function openInput(file: ImportFile, path: string) {
  const fileName = IMPORT_FILE_NAMES[file];
  const started = process.hrtime.bigint();
  const totalBytes = (await stat(path)).size;
  if (totalBytes === 0) throw new LoadInputError(fileName, 'is empty: expected a header line and records', 1);
  const hash = createHash('sha256');
  const guard = new Utf8Guard(
    (line, what) => new LoadInputError(fileName, what, line),
    (chunk) => hash.update(chunk),
  );
  /** The result once every record is in staging. */
  const staged = (records: number, reader: StagingReader): StagedFile => ({
    file,
    fileName,
    records,
    bytes: totalBytes,
    sha256: hash.digest('hex'),
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    reader,
  });
  return { fileName, expected: IMPORT_COLUMNS[file] as readonly string[], totalBytes, guard, staged };
}

/** PostgreSQL's CSV COPY on the file's bytes (see stageCsvFile). */
async function stageWithCopyCsv(
  client: ClientBase,
  loadId: string,
  file: ImportFile,
  path: string,
  onProgress?: (progress: StageProgress) => void,
): Promise<StagedFile> {
  const { fileName, expected, totalBytes, guard, staged } = await openInput(file, path);
  let lastProgress = 0;
  const body = new CsvBody(
    (header) => headerError(fileName, expected, header),
    (lines) => {
      if (!onProgress || Date.now() - lastProgress < 200) return;
      lastProgress = Date.now();
      onProgress({ file, records: lines, bytes: guard.bytes, totalBytes });
    },
  );

  const partition = stagingPartition(file, loadId);
  const sequence = `staging.${ident(`line_${file}_${loadId.replace(/-/g, '')}`)}`;
  const columns = expected.map(ident).join(', ');
  await client.query(createStagingPartitionSql(file, loadId));
  // COPY fills load_id and line from defaults of this partition alone: the load, and records numbered from line 2.
  await client.query(`CREATE SEQUENCE ${sequence} START 2 CACHE 1000`);
  await client.query(
    `ALTER TABLE ${partition} ALTER COLUMN load_id SET DEFAULT '${loadId}'::uuid,
       ALTER COLUMN line SET DEFAULT nextval('${sequence.replace(/'/g, "''")}'::regclass)`,
  );
  const copy = client.query(copyFrom(`COPY ${partition} (${columns}) FROM STDIN WITH (FORMAT csv, FORCE_NULL (${columns}))`));
  try {
    await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), guard, body, copy);
  } catch (error) {
    copy.destroy();
    throw error;
  }
  const records = copy.rowCount;
  await client.query(`ALTER TABLE ${partition} ALTER COLUMN load_id DROP DEFAULT, ALTER COLUMN line DROP DEFAULT`);
  await client.query(`DROP SEQUENCE ${sequence}`);
  if (body.lines !== records) {
    // Some records span lines (quoted line breaks): each record starts after the newlines of those before it.
    const text = `concat(${columns})`;
    await client.query(
      `UPDATE ${partition} AS s SET line = f.line
         FROM (SELECT line AS ordinal_line,
                      line + coalesce(sum(breaks) OVER (ORDER BY line ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS line
                 FROM (SELECT line, length(${text}) - length(replace(${text}, E'\\n', '')) AS breaks FROM ${partition}) b) f
        WHERE s.line = f.ordinal_line AND f.line <> s.line`,
    );
  }
  onProgress?.({ file, records, bytes: totalBytes, totalBytes, done: true });
  return staged(records, 'copy-csv');
}

/**
 * The csv-parse reader: csv-parse reads the file (BOM, CRLF or LF, quoted multi-line fields, no
 * final newline, blank lines), each record becomes one COPY text row with the load id and the line
 * it starts on, and COPY (pg-copy-streams) writes it. It takes every file the platform accepts and
 * names file and line for every one it refuses.
 */
export async function stageWithCsvParse(
  client: ClientBase,
  loadId: string,
  file: ImportFile,
  path: string,
  onProgress?: (progress: StageProgress) => void,
): Promise<StagedFile> {
  const { fileName, expected, totalBytes, guard, staged } = await openInput(file, path);
  const parser = parse({
    bom: true,
    relax_column_count: true,
    skip_empty_lines: false,
    max_record_size: MAX_RECORD_BYTES,
  });

  await client.query(createStagingPartitionSql(file, loadId));
  const copy = client.query(
    copyFrom(`COPY ${stagingPartition(file, loadId)} (load_id, line, ${expected.map(ident).join(', ')}) FROM STDIN`),
  );

  let line = 1; // line on which the next record starts
  let records = 0;
  let headerSeen = false;
  let pending: string[] = [];
  let lastProgress = 0;
  const prefix = `${loadId}\t`;

  const toCopy = new Writable({
    objectMode: true,
    highWaterMark: 512,
    write: (record: string[], _encoding, done) => {
      const recordLine = line;
      let extra = 0;
      for (const field of record) if (field.includes('\n')) extra += newlinesIn(field);
      line += 1 + extra;
      if (!headerSeen) {
        headerSeen = true;
        return done(headerError(fileName, expected, record));
      }
      if (record.length === 1 && record[0] === '') return done(); // a blank line (e.g. trailing)
      if (record.length !== expected.length) {
        return done(
          new LoadInputError(fileName, `has ${record.length} fields where the header has ${expected.length}: the file is truncated or malformed`, recordLine),
        );
      }
      records++;
      // Fast path: one scan of the whole record; only records with empty fields or special characters go field by field.
      const row =
        SPECIAL.test(record.join('')) || record.includes('')
          ? `${prefix}${recordLine}\t${record.map(copyField).join('\t')}`
          : `${prefix}${recordLine}\t${record.join('\t')}`;
      pending.push(row);
      if (pending.length < ROWS_PER_WRITE) return done();
      const chunk = `${pending.join('\n')}\n`;
      pending = [];
      if (onProgress && Date.now() - lastProgress > 200) {
        lastProgress = Date.now();
        onProgress({ file, records, bytes: guard.bytes, totalBytes });
      }
      if (copy.write(chunk)) done();
      else copy.once('drain', () => done());
    },
    final: (done) => {
      if (pending.length > 0) copy.write(`${pending.join('\n')}\n`);
      pending = [];
      copy.end();
      copy.once('finish', () => done());
      copy.once('error', done);
    },
  });

  copy.on('error', (error: Error) => toCopy.destroy(error));
  try {
    await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), guard, parser, toCopy);
  } catch (error) {
    copy.destroy();
    throw toLoadInputError(error, fileName, line);
  }
  if (!headerSeen) throw new LoadInputError(fileName, 'is empty: expected a header line and records', 1);
  onProgress?.({ file, records, bytes: totalBytes, totalBytes, done: true });
  return staged(records, 'csv-parse');
}

/** The header record checked against the file's columns: the error to report, or undefined. */
function headerError(fileName: string, expected: readonly string[], record: readonly string[]): LoadInputError | undefined {
  const found = record.map((c) => c.trim());
  if (found.length === expected.length && found.every((c, i) => c === expected[i])) return undefined;
  return new LoadInputError(fileName, `wrong header: expected ${expected.join(', ')}; found ${found.join(', ')}`, 1);
}

function toLoadInputError(error: unknown, fileName: string, line: number): Error {
  if (error instanceof LoadInputError) return error;
  const e = error as { code?: string; lines?: number; message?: string };
  switch (e.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new LoadInputError(fileName, 'a quoted field is never closed: the file is truncated or malformed', line);
    case 'CSV_MAX_RECORD_SIZE':
      return new LoadInputError(fileName, `a record is longer than ${MAX_RECORD_BYTES / 1024} KiB: this is not an Olist CSV file`, line);
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return new LoadInputError(fileName, `malformed quoting (${e.message})`, e.lines ?? line);
    default:
      if (e.code?.startsWith('CSV_')) return new LoadInputError(fileName, e.message ?? e.code, e.lines ?? line);
      return error instanceof Error ? error : new Error(String(error));
  }
}
