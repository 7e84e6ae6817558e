import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Pool } from 'pg';
import { Outbox, PgTransactor, type SqlTx } from '@olist/messaging';
import type { DatasetFile, FileReport, LoadDatasetPorts, PublishOutcome, StagingProgress } from '@olist/quality-application';
import { LOAD_CHECKED_V1, QUALITY_CONTRACTS, type ImportFile } from '@olist/quality-contracts';
import type { LoadFile, LoadSnapshot } from '@olist/quality-domain';
import { ContractRegistry } from '@olist/messaging';
import { writeRawFeed } from '../feed/raw-feed.publisher';
import { fileReport, runRules, syncRuleCatalog } from '../rules/quality-rules';
import { stageCsvFile, type StagedFile } from '../staging/csv-staging.loader';
import { LoadInputError } from '../staging/load-input.error';
import type { StagingWorkerData, StagingWorkerMessage } from '../staging/staging.worker';
import { dropStagingPartitionSql, stagingPartition } from '../staging/staging-tables';

/** Files staged at once, each parsed on a worker thread of its own. */
const STAGING_CONCURRENCY = 2;
/** The compiled worker; where it is absent (sources run under a test runner) files stage on this thread. */
const WORKER_SCRIPT = path.join(__dirname, '../staging/staging.worker.js');

/** The load use case's ports over the quality schema, connected as the quality role. */
export class PgLoadDatasetPorts implements LoadDatasetPorts {
  private readonly transactor: PgTransactor;
  private readonly outbox = new Outbox('quality', new ContractRegistry(QUALITY_CONTRACTS));

  private readonly databaseUrl: string;

  constructor(private readonly pool: Pool) {
    this.transactor = new PgTransactor(pool);
    this.databaseUrl = (pool as unknown as { options: { connectionString: string } }).options.connectionString;
  }

  newLoadId(): string {
    return randomUUID();
  }

  now(): Date {
    return new Date();
  }

  async saveLoad(load: LoadSnapshot): Promise<void> {
    await this.transactor.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO quality.loads (id, source, status, gate, failure, started_at, staged_at, checked_at, finished_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, gate = EXCLUDED.gate, failure = EXCLUDED.failure,
           staged_at = EXCLUDED.staged_at, checked_at = EXCLUDED.checked_at, finished_at = EXCLUDED.finished_at`,
        [load.id, load.source, load.status, load.gate, load.failure, load.startedAt, load.stagedAt, load.checkedAt, load.finishedAt],
      );
      for (const f of load.files) {
        const c = load.checks[f.file];
        await tx.query(
          `INSERT INTO quality.load_files (load_id, file, file_name, bytes, sha256, records, accepted, quarantined, warnings, score)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
           ON CONFLICT (load_id, file) DO UPDATE SET records = EXCLUDED.records, accepted = EXCLUDED.accepted,
             quarantined = EXCLUDED.quarantined, warnings = EXCLUDED.warnings, score = EXCLUDED.score`,
          [load.id, f.file, f.fileName, f.bytes, f.sha256, f.records, c?.accepted ?? null, c?.quarantined ?? null, c?.warnings ?? null, c?.score ?? null],
        );
      }
    });
  }

  async stage(loadId: string, files: readonly DatasetFile[], onProgress: (p: StagingProgress) => void): Promise<LoadFile[]> {
    // Largest first, so the big geolocation file never starts last.
    const queue = [...files].sort((a, b) => statSync(b.path).size - statSync(a.path).size);
    const staged: LoadFile[] = [];
    const threaded = existsSync(WORKER_SCRIPT);
    const lane = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const file = next;
        const result = threaded
          ? await this.stageInWorker(loadId, file, onProgress)
          : await this.transactor.transaction(async (tx) => stageCsvFile(tx.client, loadId, file.file as ImportFile, file.path, onProgress));
        staged.push({ file: result.file, fileName: result.fileName, bytes: result.bytes, sha256: result.sha256, records: result.records });
      }
    };
    await Promise.all(Array.from({ length: STAGING_CONCURRENCY }, lane));
    for (const f of files) await this.pool.query(`ANALYZE ${stagingPartition(f.file as ImportFile, loadId)}`);
    return files.map((f) => staged.find((s) => s.file === f.file) as LoadFile);
  }

  /** Parses and copies one file on a worker thread (a core of its own) with a connection of its own. */
  private stageInWorker(loadId: string, file: DatasetFile, onProgress: (p: StagingProgress) => void): Promise<StagedFile> {
    const data: StagingWorkerData = { databaseUrl: this.databaseUrl, loadId, file: file.file as ImportFile, path: file.path };
    return new Promise((resolve, reject) => {
      const worker = new Worker(WORKER_SCRIPT, { workerData: data });
      let settled = false;
      worker.on('message', (message: StagingWorkerMessage) => {
        if (message.type === 'progress') {
          onProgress(message.progress);
        } else if (message.type === 'done') {
          settled = true;
          resolve(message.result);
        } else {
          settled = true;
          const e = message.error;
          reject(e.file && e.reason ? new LoadInputError(e.file, e.reason, e.line) : new Error(e.message));
        }
      });
      worker.on('error', (error) => {
        settled = true;
        reject(error);
      });
      worker.on('exit', (code) => !settled && reject(new Error(`staging worker for ${file.fileName} exited with code ${code}`)));
    });
  }

  async check(loadId: string): Promise<FileReport[]> {
    return this.transactor.transaction(async (tx) => {
      await syncRuleCatalog(tx);
      await runRules(tx, loadId);
      return (await fileReport(tx, loadId)) as FileReport[];
    });
  }

  async publish(load: LoadSnapshot, reports: readonly FileReport[]): Promise<PublishOutcome> {
    const now = this.now();
    return this.transactor.transaction(async (tx) => {
      let changedRows = 0;
      let messages = 0;
      if (load.gate === 'passed') {
        const previous = await this.previousPublishedLoad(tx, load.id);
        for (const f of load.files) {
          const written = await writeRawFeed(tx, load.id, f.file as ImportFile, now, previous);
          changedRows += written.rows;
          messages += written.messages;
        }
      }
      await this.outbox.append(tx, [
        {
          type: LOAD_CHECKED_V1.type,
          version: LOAD_CHECKED_V1.version,
          subject: LOAD_CHECKED_V1.subject,
          aggregateId: load.id,
          occurredAt: now,
          correlationId: load.id,
          payload: {
            loadId: load.id,
            gate: load.gate ?? 'failed',
            unchanged: load.gate === 'passed' && changedRows === 0,
            files: Object.fromEntries(
              reports.map((r) => [r.file, { records: r.records, accepted: r.accepted, quarantined: r.quarantined, warnings: r.warnings, score: r.score }]),
            ),
          },
        },
      ]);
      return { changedRows, messages };
    });
  }

  /**
   * The last load whose rows reached the feed. Its staging data is what downstream has seen; null
   * (publish everything) when there is none or its staging data is gone.
   */
  private async previousPublishedLoad(tx: SqlTx, loadId: string): Promise<string | null> {
    const [row] = await tx.query<{ id: string; staged: boolean }>(
      `SELECT id::text, to_regclass('staging.' || quote_ident('orders_' || replace(id::text, '-', ''))) IS NOT NULL AS staged
         FROM quality.loads WHERE id <> $1 AND status IN ('published', 'unchanged') ORDER BY started_at DESC LIMIT 1`,
      [loadId],
    );
    return row?.staged ? row.id : null;
  }

  /** Drops the staging data of every load but this one and the last published one before it. */
  async cleanup(loadId: string): Promise<void> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id::text FROM quality.loads
        WHERE id <> $1
          AND id IS DISTINCT FROM (SELECT id FROM quality.loads WHERE id <> $1 AND status IN ('published', 'unchanged') ORDER BY started_at DESC LIMIT 1)`,
      [loadId],
    );
    const files = await this.pool.query<{ file: ImportFile }>(`SELECT DISTINCT file FROM quality.load_files`);
    for (const { id } of rows) for (const { file } of files.rows) await this.pool.query(dropStagingPartitionSql(file, id));
  }
}
