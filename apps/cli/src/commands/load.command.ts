import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { MultiBar, Presets } from 'cli-progress';
import { Pool } from 'pg';
import { LoadDatasetHandler, type DatasetFile, type LoadSummary, type StagingProgress } from '@olist/quality-application';
import { IMPORT_FILE_NAMES, IMPORT_FILES } from '@olist/quality-contracts';
import { PgLoadDatasetPorts } from '@olist/quality-infrastructure';
import { loadServiceConfig, PG_SESSION_OPTIONS } from '@olist/service-kit';
import { messagingStatus } from '../messaging-status';
import { topologyFromEnv, withDatabase, withNats } from '../platform-clients';

export interface LoadOptions {
  readonly json?: boolean;
  readonly wait?: boolean;
  readonly waitTimeoutMs?: number;
  readonly maxQuarantineRate?: number;
}

/** The nine standard files in a directory; throws naming every missing one. */
export function datasetFiles(dir: string): DatasetFile[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir} is not a directory`);
  const files = IMPORT_FILES.map((file) => ({ file, fileName: IMPORT_FILE_NAMES[file], path: path.join(dir, IMPORT_FILE_NAMES[file]) }));
  const missing = files.filter((f) => !existsSync(f.path));
  if (missing.length > 0) throw new Error(`missing in ${dir}: ${missing.map((f) => f.fileName).join(', ')}`);
  return files;
}

/**
 * `olist load DIR`: stages the nine files, runs the quality rules, and publishes the accepted rows
 * that changed as the raw feed (through the quality outbox, which the quality service relays).
 */
export async function loadCommand(dir: string, options: LoadOptions, out: (line: string) => void = console.log): Promise<number> {
  const files = datasetFiles(path.resolve(dir));
  const pool = new Pool({ connectionString: loadServiceConfig('quality').databaseUrl, max: 3, application_name: 'olist-load', options: PG_SESSION_OPTIONS });
  const progress = options.json ? { update: () => undefined, stop: () => undefined } : progressReporter(process.stdout.isTTY === true, files, out);
  let summary: LoadSummary;
  try {
    await assertMigrated(pool);
    summary = await new LoadDatasetHandler(new PgLoadDatasetPorts(pool)).execute(
      { source: path.resolve(dir), files, maxQuarantineRate: options.maxQuarantineRate },
      progress.update,
    );
  } catch (error) {
    progress.stop();
    if (options.json) out(JSON.stringify({ loadId: null, gate: 'failed', error: error instanceof Error ? error.message : String(error) }));
    throw error;
  } finally {
    await pool.end();
  }
  progress.stop();

  let waited: { caughtUp: boolean; reason?: string } | undefined;
  if (options.wait && summary.gate === 'passed') waited = await waitForConsumers(options.waitTimeoutMs ?? 600_000, options.json ? undefined : out);

  if (options.json) {
    out(
      JSON.stringify({
        loadId: summary.loadId,
        gate: summary.gate,
        status: summary.status,
        unchanged: summary.unchanged,
        files: Object.fromEntries(
          summary.files.map((f) => [
            f.fileName,
            { records: f.records, accepted: f.accepted ?? 0, quarantined: f.quarantined ?? 0, warnings: f.warnings ?? 0, score: f.score ?? 0, rules: Object.fromEntries(Object.entries(f.rules ?? {}).filter(([, n]) => n > 0)) },
          ]),
        ),
        feed: summary.feed,
        timings: summary.timings,
        ...(waited ? { caughtUp: waited.caughtUp, ...(waited.reason ? { waitError: waited.reason } : {}) } : {}),
      }),
    );
  } else {
    printSummary(summary, out);
    if (waited) out(waited.caughtUp ? 'every consumer has caught up' : `not caught up: ${waited.reason}`);
  }
  if (summary.gate !== 'passed') return 1;
  return waited && !waited.caughtUp ? 1 : 0;
}

async function assertMigrated(pool: Pool): Promise<void> {
  const { rows } = await pool.query(`SELECT to_regclass('quality.loads') IS NOT NULL AS ok`).catch((error: unknown) => {
    throw new Error(`cannot reach the quality database as role olist_quality: ${(error as Error).message} — run npx olist up first`);
  });
  if (!rows[0]?.ok) throw new Error('the quality schema is not migrated yet: start the platform first (npx olist up --no-load)');
}

function printSummary(s: LoadSummary, out: (line: string) => void): void {
  out(`load ${s.loadId}: ${s.status}, gate ${s.gate ?? '-'}${s.failure ? ` (${s.failure})` : ''}`);
  out(`${'file'.padEnd(40)} ${'records'.padStart(9)} ${'accepted'.padStart(9)} ${'quarant.'.padStart(9)} ${'warnings'.padStart(9)} ${'score'.padStart(7)}`);
  for (const f of s.files) {
    out(
      `${f.fileName.padEnd(40)} ${String(f.records).padStart(9)} ${String(f.accepted ?? '').padStart(9)} ${String(f.quarantined ?? '').padStart(9)} ${String(f.warnings ?? '').padStart(9)} ${String(f.score ?? '').padStart(7)}`,
    );
    for (const [rule, n] of Object.entries(f.rules ?? {})) if (n > 0) out(`    ${rule.padEnd(36)} ${n}`);
  }
  if (s.feed) out(`raw feed: ${s.feed.changedRows} new or changed rows in ${s.feed.messages} messages${s.unchanged ? ' (the files hold nothing new)' : ''}`);
  out(`staging ${s.timings.stagingSeconds.toFixed(2)} s, checks ${s.timings.checkSeconds.toFixed(2)} s, publishing ${s.timings.publishSeconds.toFixed(2)} s`);
  out(`quarantined rows: npx olist quarantine ${s.loadId}`);
}

/** Per-file progress: bars on a terminal, a plain line per finished file otherwise. */
function progressReporter(tty: boolean, files: readonly DatasetFile[], out: (line: string) => void) {
  const started = new Map<string, number>();
  const done = new Set<string>();
  if (tty) {
    const multibar = new MultiBar(
      { format: '{file} |{bar}| {percentage}% {records} rows {rate} rows/s', hideCursor: true, clearOnComplete: false },
      Presets.shades_classic,
    );
    const bars = new Map(files.map((f) => [f.file, multibar.create(100, 0, { file: f.fileName.padEnd(40), records: 0, rate: 0 })]));
    return {
      update: (p: StagingProgress) => {
        const t0 = started.get(p.file) ?? (started.set(p.file, Date.now()), Date.now());
        const rate = Math.round(p.records / Math.max((Date.now() - t0) / 1000, 0.001));
        bars.get(p.file)?.update(Math.round((100 * p.bytes) / Math.max(p.totalBytes, 1)), { records: p.records, rate });
      },
      stop: () => multibar.stop(),
    };
  }
  return {
    update: (p: StagingProgress) => {
      const t0 = started.get(p.file) ?? (started.set(p.file, Date.now()), Date.now());
      if (p.done && !done.has(p.file)) {
        done.add(p.file);
        const seconds = Math.max((Date.now() - t0) / 1000, 0.001);
        out(`staged ${files.find((f) => f.file === p.file)?.fileName}: ${p.records} rows in ${seconds.toFixed(2)} s (${Math.round(p.records / seconds)} rows/s)`);
      }
    },
    stop: () => undefined,
  };
}

/** Polls the outboxes and durable consumers until nothing is pending. */
export async function waitForConsumers(timeoutMs: number, out?: (line: string) => void): Promise<{ caughtUp: boolean; reason?: string }> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const status = await withNats((_nc, jsm) => withDatabase((db) => messagingStatus(jsm, db, topologyFromEnv())));
    const pending = status.consumers.filter((c) => c.pending > 0).map((c) => `${c.consumer} ${c.pending}`);
    const backlog = Object.entries(status.outboxBacklog).filter(([, n]) => n > 0).map(([s, n]) => `${s} outbox ${n}`);
    if (status.marts && !status.marts.fresh) backlog.push('warehouse marts to rebuild');
    if (status.segments?.toRecompute) backlog.push('customer segments to recompute');
    if (status.caughtUp) return { caughtUp: true };
    const line = [...backlog, ...pending].join(', ');
    if (out && line !== last) out(`waiting: ${line}`);
    last = line;
    if (Date.now() > deadline) {
      const hint = backlog.length ? ' (is every service running? outboxes are relayed by their services)' : '';
      return { caughtUp: false, reason: `after ${Math.round(timeoutMs / 1000)} s still pending: ${line}${hint}` };
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
