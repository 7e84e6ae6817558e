/** Wall-clock time in milliseconds with sub-millisecond resolution, comparable across processes. */
export const wallClockMs = (): number => performance.timeOrigin + performance.now();

/** Nearest-rank percentile (`p` in 0..100) of ascending `sorted` values; NaN when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export interface LatencySummary {
  readonly count: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  /** Events written whose consumer commit was never observed. */
  readonly missing: number;
}

/** Per-event latency from the commit times on both sides, keyed by event id. */
export function latencies(written: ReadonlyMap<string, number>, applied: ReadonlyMap<string, number>): LatencySummary {
  const values = new Float64Array(written.size);
  let n = 0;
  for (const [id, committed] of written) {
    const done = applied.get(id);
    if (done !== undefined) values[n++] = done - committed;
  }
  const sorted = values.subarray(0, n).sort();
  return {
    count: n,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: n > 0 ? (sorted[n - 1] as number) : Number.NaN,
    missing: written.size - n,
  };
}

/** Rounds to `digits` significant digits (rates and ratios in the JSON summary). */
export function significant(value: number, digits: number): number {
  if (!Number.isFinite(value) || value === 0) return value;
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const factor = 10 ** (digits - 1 - magnitude);
  return Math.round(value * factor) / factor;
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
export const formatCount = (n: number): string => grouped.format(n);
export const formatMs = (ms: number): string => (Number.isFinite(ms) ? `${ms.toFixed(ms < 10 ? 2 : 1)} ms` : 'n/a');
export const formatSeconds = (ms: number): string => `${(ms / 1_000).toFixed(2)} s`;

/** A plain-text table: the first row is the header, columns are left-aligned except numbers-right columns. */
export function renderTable(rows: readonly (readonly string[])[], rightAligned: readonly number[] = []): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  const line = (r: readonly string[]) =>
    r
      .map((cell, c) => (rightAligned.includes(c) ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  const [header, ...body] = rows;
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header ?? []), rule, ...body.map(line)].join('\n');
}

/** Share of CPU time the machine spent idle over `ms` (all cores): how quiet it was before a run. */
export async function idleShare(ms: number, cpus: () => { times: { user: number; nice: number; sys: number; idle: number; irq: number } }[]): Promise<number> {
  const sum = () =>
    cpus().reduce(
      (acc, c) => ({ idle: acc.idle + c.times.idle, total: acc.total + c.times.user + c.times.nice + c.times.sys + c.times.idle + c.times.irq }),
      { idle: 0, total: 0 },
    );
  const before = sum();
  await new Promise((r) => setTimeout(r, ms));
  const after = sum();
  const total = after.total - before.total;
  return total > 0 ? (after.idle - before.idle) / total : Number.NaN;
}
