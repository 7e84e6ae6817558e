import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateOlistDataset } from '@olist/quality-generator';

export interface BenchDataset {
  /** Directory holding the nine files. */
  readonly dir: string;
  /** Removes the directory when the bench generated it; leaves given files alone. */
  cleanup(): void;
}

/**
 * The files a data bench runs on: `--data DIR` when given, otherwise a data set generated into a
 * temporary directory at `--scale S` (default 1, seed 42).
 */
export async function benchDataset(args: readonly string[], label: string): Promise<BenchDataset> {
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const given = option('--data');
  if (given) return { dir: path.resolve(given), cleanup: () => undefined };
  const scale = Number(option('--scale') ?? 1);
  if (!(scale > 0)) throw new Error(`--scale must be a positive number, got ${option('--scale')}`);
  const dir = mkdtempSync(path.join(tmpdir(), `olist-bench-${label}-`));
  const t = performance.now();
  const report = await generateOlistDataset({ outDir: dir, scale, seed: 42 });
  console.log(`generated scale ${scale}: ${report.totalRows.toLocaleString('en-US')} rows in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
