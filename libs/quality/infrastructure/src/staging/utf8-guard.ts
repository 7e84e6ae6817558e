import { isUtf8 } from 'node:buffer';
import { Transform, TransformCallback } from 'node:stream';

/**
 * Passes bytes through while checking they are UTF-8 text without NUL bytes; on the first bad
 * byte it fails with the line it is on. It also counts bytes and feeds a hash, so the file is read
 * once.
 */
export class Utf8Guard extends Transform {
  private carry: Buffer = Buffer.alloc(0);
  private newlines = 0;
  bytes = 0;

  constructor(
    private readonly onBad: (line: number, what: string) => Error,
    private readonly onChunk: (chunk: Buffer) => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.onChunk(chunk);
    this.bytes += chunk.length;
    const data = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const end = completeEnd(data);
    const complete = data.subarray(0, end);
    this.carry = Buffer.from(data.subarray(end));
    const nul = complete.indexOf(0);
    if (nul !== -1) return done(this.onBad(this.lineAt(complete, nul), 'contains a NUL byte: this is binary data, not a CSV text file'));
    if (!isUtf8(complete)) {
      const offset = firstInvalidUtf8(complete);
      return done(this.onBad(this.lineAt(complete, offset), `is not UTF-8 text (byte 0x${complete[offset]?.toString(16).padStart(2, '0')}); save the file as UTF-8`));
    }
    this.newlines += count(complete, 0x0a);
    done(null, complete);
  }

  override _flush(done: TransformCallback): void {
    if (this.carry.length > 0) {
      return done(this.onBad(this.newlines + 1, 'ends in the middle of a UTF-8 character: the file is truncated or not UTF-8'));
    }
    done();
  }

  private lineAt(buffer: Buffer, offset: number): number {
    return this.newlines + count(buffer.subarray(0, offset), 0x0a) + 1;
  }
}

function count(buffer: Buffer, byte: number): number {
  let n = 0;
  for (let i = buffer.indexOf(byte); i !== -1; i = buffer.indexOf(byte, i + 1)) n++;
  return n;
}

/** Length of the prefix that does not end inside a multi-byte character. */
function completeEnd(buffer: Buffer): number {
  const n = buffer.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = buffer[n - back] as number;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

/** Offset of the first byte that breaks UTF-8 (only called once a buffer is known to be invalid). */
export function firstInvalidUtf8(buffer: Buffer): number {
  let i = 0;
  while (i < buffer.length) {
    const b = buffer[i] as number;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      if (((buffer[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    }
    if (need > 0 && !isUtf8(buffer.subarray(i, i + need + 1))) return i;
    i += need + 1;
  }
  return buffer.length;
}
