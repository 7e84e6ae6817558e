import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { parse } from 'csv-parse';
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
}

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

/**
 * Streams one Olist CSV file into its staging partition: csv-parse reads it (BOM, CRLF or LF,
 * quoted multi-line fields, no final newline), each record becomes one COPY row with the load id
 * and the line it starts on, and COPY (pg-copy-streams) writes it — no row-by-row INSERTs. The
 * caller's client runs it in its own transaction, so a failure leaves nothing half-written.
 */
export async function stageCsvFile(
  client: ClientBase,
  loadId: string,
  file: ImportFile,
  path: string,
  onProgress?: (progress: StageProgress) => void,
): Promise<StagedFile> {
  const fileName = IMPORT_FILE_NAMES[file];
  const expected = IMPORT_COLUMNS[file] as readonly string[];
  const started = process.hrtime.bigint();
  const totalBytes = (await stat(path)).size;
  if (totalBytes === 0) throw new LoadInputError(fileName, 'is empty: expected a header line and records', 1);

  const hash = createHash('sha256');
  const guard = new Utf8Guard(
    (line, what) => new LoadInputError(fileName, what, line),
    (chunk) => hash.update(chunk),
  );
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
        const found = record.map((c) => c.trim());
        if (found.length !== expected.length || found.some((c, i) => c !== expected[i])) {
          return done(new LoadInputError(fileName, `wrong header: expected ${expected.join(', ')}; found ${found.join(', ')}`, recordLine));
        }
        return done();
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
  return {
    file,
    fileName,
    records,
    bytes: totalBytes,
    sha256: hash.digest('hex'),
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
  };
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
