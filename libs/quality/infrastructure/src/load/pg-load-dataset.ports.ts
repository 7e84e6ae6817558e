import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import type { Pool } from 'pg';
import { Outbox, PgTransactor, type SqlTx } from '@olist/messaging';
import type { DatasetFile, FileReport, LoadDatasetPorts, PublishOutcome, StagingProgress } from '@olist/quality-application';
import { IMPORT_FILES, LOAD_CHECKED_V1, QUALITY_CONTRACTS, type ImportFile } from '@olist/quality-contracts';
import type { LoadFile, LoadSnapshot } from '@olist/quality-domain';
import { ContractRegistry } from '@olist/messaging';
import { writeRawFeed } from '../feed/raw-feed.publisher';
import { fileReport, runRules, syncRuleCatalog } from '../rules/quality-rules';
import { stageCsvFile } from '../staging/csv-staging.loader';
import { dropStagingPartitionSql, stagingPartition } from '../staging/staging-tables';

/** Files staged at once, each on a connection (a server backend) of its own. */
const STAGING_CONCURRENCY = 2;

/**
 * The files judged and published side by side, each lane on a connection of its own: the
 * geolocation file (two thirds of the rows) beside all the others, which take about as long.
 */
const FILE_LANES: readonly (readonly ImportFile[])[] = [['geolocation'], IMPORT_FILES.filter((f) => f !== 'geolocation')];

/** Waits for every lane to end (none is left running), then gives their values or throws the first error. */
async function settleAll<T>(lanes: readonly Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(lanes);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

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

  /**
   * Stages the files two at a time, each on a connection and in a transaction of its own, largest
   * first so the big geolocation file never starts last. With PostgreSQL's CSV COPY doing the
   * parsing, the server's two backends are the work; this process only streams, checks and hashes
   * the bytes. Each file's partition is analyzed in its own transaction, right after its COPY (the
   * rules' joins are planned on the statistics), while the other lane is still copying.
   */
  async stage(loadId: string, files: readonly DatasetFile[], onProgress: (p: StagingProgress) => void): Promise<LoadFile[]> {
    const queue = [...files].sort((a, b) => statSync(b.path).size - statSync(a.path).size);
    const staged: LoadFile[] = [];
    const lane = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        const file = next;
        const result = await this.transactor.transaction(async (tx) => {
          const copied = await stageCsvFile(tx.client, loadId, file.file as ImportFile, file.path, onProgress);
          await tx.query(`ANALYZE ${stagingPartition(file.file as ImportFile, loadId)}`);
          return copied;
        });
        staged.push({ file: result.file, fileName: result.fileName, bytes: result.bytes, sha256: result.sha256, records: result.records });
      }
    };
    await Promise.all(Array.from({ length: STAGING_CONCURRENCY }, lane));
    return files.map((f) => staged.find((s) => s.file === f.file) as LoadFile);
  }

  async check(loadId: string): Promise<FileReport[]> {
    // The partitions were analyzed when staged; runRules analyzes any that has changed since.
    await this.transactor.transaction((tx) => syncRuleCatalog(tx));
    // The lanes judge disjoint files, each in a transaction of its own on a connection of its own.
    // If one fails, the verdicts the other wrote are removed once it has ended: the load fails with none.
    try {
      await settleAll(FILE_LANES.map((files) => this.transactor.transaction((tx) => runRules(tx, loadId, { files }))));
    } catch (error) {
      await this.pool.query(`DELETE FROM quality.verdicts WHERE load_id = $1`, [loadId]).catch(() => undefined);
      throw error;
    }
    return this.transactor.transaction(async (tx) => (await fileReport(tx, loadId)) as FileReport[]);
  }

  async publish(load: LoadSnapshot, reports: readonly FileReport[]): Promise<PublishOutcome> {
    const now = this.now();
    let changedRows = 0;
    let messages = 0;
    if (load.gate === 'passed') {
      // Each lane's feed is committed as soon as it is written, and relayed while the other lane
      // is still writing. Should a lane fail, the feed of the other stays published and the load
      // fails: a later load publishes every row again (the contexts find nothing changed in rows
      // they already applied).
      const previous = await this.transactor.transaction((tx) => this.previousPublishedLoad(tx, load.id));
      const files = load.files.map((f) => f.file as ImportFile);
      const lanes = FILE_LANES.map((lane) => files.filter((f) => lane.includes(f))).filter((lane) => lane.length > 0);
      const written = await settleAll(
        lanes.map((lane) =>
          this.transactor.transaction(async (tx) => {
            const results = [];
            for (const file of lane) results.push(await writeRawFeed(tx, load.id, file, now, previous));
            return results;
          }),
        ),
      );
      for (const result of written.flat()) {
        changedRows += result.rows;
        messages += result.messages;
      }
    }
    return this.transactor.transaction(async (tx) => {
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
