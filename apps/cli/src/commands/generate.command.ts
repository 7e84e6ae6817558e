import path from 'node:path';
import { InvalidArgumentError } from 'commander';
import { Presets, SingleBar } from 'cli-progress';
import { generateOlistDataset, type GenerationProgress, type GenerationReport } from '@olist/quality-generator';

export interface GenerateOptions {
  readonly out: string;
  readonly scale: number;
  readonly seed: number;
}

export interface GenerateIo {
  readonly out: (line: string) => void;
  /** One updating bar on a terminal; a line every tenth otherwise. */
  readonly tty: boolean;
}

/** `olist generate --out DIR [--scale S] [--seed N]`: writes a synthetic data set in the original format. */
export async function generateCommand(
  options: GenerateOptions,
  io: GenerateIo = { out: console.log, tty: process.stdout.isTTY === true },
): Promise<number> {
  const outDir = path.resolve(options.out);
  const progress = io.tty ? barProgress() : lineProgress(io.out);
  let report: GenerationReport;
  try {
    report = await generateOlistDataset({ outDir, scale: options.scale, seed: options.seed, onProgress: progress.update });
  } finally {
    progress.stop();
  }
  printReport(report, io.out);
  return 0;
}

export function parseScale(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number (1 = the size of the real data set)');
  return n;
}

export function parseSeed(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError('must be an integer');
  return n;
}

interface ProgressView {
  update(progress: GenerationProgress): void;
  stop(): void;
}

function barProgress(): ProgressView {
  const bar = new SingleBar(
    { format: 'generating [{bar}] {percentage}% | {value}/{total} rows | {stage}', hideCursor: true, stream: process.stdout },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update: (p) => {
      if (!started) {
        bar.start(p.totalRows, 0, { stage: p.stage });
        started = true;
      }
      bar.update(p.rowsWritten, { stage: p.stage });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

function lineProgress(out: (line: string) => void): ProgressView {
  let nextTenth = 1;
  return {
    update: (p) => {
      if (p.stage === 'done') return;
      const tenth = Math.floor(p.fraction * 10 + 1e-9);
      if (tenth < nextTenth) return;
      nextTenth = tenth + 1;
      out(`generating: ${tenth * 10}% (${p.rowsWritten.toLocaleString('en-US')} of ${p.totalRows.toLocaleString('en-US')} rows, ${p.stage})`);
    },
    stop: () => undefined,
  };
}

function printReport(report: GenerationReport, out: (line: string) => void): void {
  const width = Math.max(...report.files.map((f) => f.name.length));
  const count = (n: number) => n.toLocaleString('en-US').padStart(11);
  for (const f of report.files) out(`${f.name.padEnd(width)} ${count(f.rows)} rows ${(f.bytes / 1e6).toFixed(1).padStart(8)} MB`);
  out(`${'total'.padEnd(width)} ${count(report.totalRows)} rows`);
  out(`wrote ${report.files.length} files to ${report.outDir} (scale ${report.scale}, seed ${report.seed}) in ${(report.durationMs / 1000).toFixed(1)} s`);
}
