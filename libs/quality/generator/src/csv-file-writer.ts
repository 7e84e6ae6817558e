import { once } from 'node:events';
import { createWriteStream, WriteStream } from 'node:fs';
import { headerLine, OlistFileFormat } from './olist-files';

const NEEDS_QUOTES = /[",\r\n]/;
const QUOTE = /"/g;

/** A text field as the original files write it: quoted when it starts with a digit or needs quoting. */
export function encodeText(value: string): string {
  if (value === '') return value;
  const first = value.charCodeAt(0);
  if ((first >= 48 && first <= 57) || NEEDS_QUOTES.test(value)) return `"${value.replace(QUOTE, '""')}"`;
  return value;
}

/**
 * Writes one file of the data set row by row: the header, line endings, BOM and final newline of
 * its format; rows are buffered and handed to the stream in blocks, waiting for 'drain' when the
 * stream asks for it.
 */
export class CsvFileWriter {
  private readonly stream: WriteStream;
  private buffer = '';
  private rowCount = 0;
  private readonly failure: Promise<never>;

  constructor(
    readonly path: string,
    private readonly format: OlistFileFormat,
    private readonly flushAt = 1 << 18,
  ) {
    this.stream = createWriteStream(path, { encoding: 'utf8' });
    this.failure = new Promise<never>((_, reject) => this.stream.once('error', reject));
    this.failure.catch(() => undefined);
    this.buffer = (format.bom ? '\ufeff' : '') + headerLine(format);
  }

  get rows(): number {
    return this.rowCount;
  }

  /** Appends a row; `null` and '' are written as empty fields. */
  write(values: readonly (string | null)[]): void {
    const { kinds, eol } = this.format;
    let line = '';
    for (let i = 0; i < kinds.length; i++) {
      const v = values[i];
      if (i > 0) line += ',';
      if (v === null || v === undefined || v === '') continue;
      line += kinds[i] === 'text' ? encodeText(v) : v;
    }
    this.buffer += eol + line;
    this.rowCount++;
  }

  get pending(): boolean {
    return this.buffer.length >= this.flushAt;
  }

  /** Hands the buffered rows to the stream, waiting if it is full. */
  async flush(): Promise<void> {
    if (!this.buffer) return;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.stream.write(chunk)) await Promise.race([once(this.stream, 'drain'), this.failure]);
  }

  async flushIfFull(): Promise<void> {
    if (this.pending) await this.flush();
  }

  async close(): Promise<void> {
    if (this.format.finalNewline) this.buffer += this.format.eol;
    await this.flush();
    await Promise.race([new Promise<void>((resolve) => this.stream.end(resolve)), this.failure]);
  }

  /** Stops writing after a failure elsewhere; the partial file stays. */
  abort(): void {
    this.stream.destroy();
  }
}
