import 'reflect-metadata';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Pool } from 'pg';
import type { QueryRunner } from 'typeorm';
import { messagingMigrations } from '@olist/messaging';
import { IMPORT_COLUMNS, IMPORT_FILE_NAMES, IMPORT_FILES } from '@olist/quality-contracts';
import { PgLoadDatasetPorts, QualitySchema1764200000000 } from '@olist/quality-infrastructure';
import { benchDataset } from './bench-dataset';
import { createScratchDatabase } from './scratch';

/**
 * `npm run bench:load`: staging throughput of `olist load` (COPY csv, csv-parse where COPY refuses) on a generated
 * scale-1 data set next to `psql \copy` of the same files into plain text tables, measured in the
 * same run on the same server, and the time of staging + quality rules.
 * Options: --scale S (default 1), --data DIR (load these files instead of generating).
 */
async function main(): Promise<void> {
  const dataset = await benchDataset(process.argv.slice(2), 'load');
  const dir = dataset.dir;
  const files = IMPORT_FILES.map((file) => ({ file, fileName: IMPORT_FILE_NAMES[file], path: path.join(dir as string, IMPORT_FILE_NAMES[file]) }));
  for (const f of files) if (!existsSync(f.path)) throw new Error(`missing ${f.path}`);

  const db = await createScratchDatabase('bench_load');
  const pool = new Pool({ connectionString: db.url, max: 4 });
  try {
    await pool.query('CREATE SCHEMA quality; CREATE SCHEMA staging; CREATE SCHEMA baseline;');
    const runner = { query: (sql: string) => pool.query(sql) } as unknown as QueryRunner;
    for (const Migration of messagingMigrations('quality')) await new Migration().up(runner);
    await new QualitySchema1764200000000().up(runner);

    // Baseline: psql \copy of the same files into unlogged text tables, one file after the other.
    let psqlRows = 0;
    const psqlStarted = performance.now();
    for (const f of files) {
      const columns = IMPORT_COLUMNS[f.file] as readonly string[];
      await pool.query(`CREATE UNLOGGED TABLE baseline.${f.file} (${columns.map((c) => `"${c}" text`).join(', ')})`);
      const copied = spawnSync('psql', [db.url, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', `\\copy baseline.${f.file} FROM '${f.path}' WITH (FORMAT csv, HEADER true)`], {
        encoding: 'utf8',
      });
      if (copied.status !== 0) throw new Error(`psql \\copy of ${f.fileName} failed: ${copied.stderr || copied.error?.message}`);
    }
    const psqlSeconds = (performance.now() - psqlStarted) / 1000;
    for (const f of files) psqlRows += Number((await pool.query(`SELECT count(*) FROM baseline.${f.file}`)).rows[0].count);

    // The platform's staging and rules, as olist load runs them.
    const ports = new PgLoadDatasetPorts(pool);
    const loadId = ports.newLoadId();
    await pool.query(`INSERT INTO quality.loads (id, source, status, started_at) VALUES ($1, $2, 'registered', now())`, [loadId, dir]);
    const stagingStarted = performance.now();
    const staged = await ports.stage(loadId, files, () => undefined);
    const stagingSeconds = (performance.now() - stagingStarted) / 1000;
    const checkStarted = performance.now();
    const reports = await ports.check(loadId);
    const checkSeconds = (performance.now() - checkStarted) / 1000;
    const rows = staged.reduce((sum, f) => sum + f.records, 0);
    if (rows !== psqlRows) throw new Error(`staged ${rows} rows but psql copied ${psqlRows}`);

    const copyRate = rows / stagingSeconds;
    const psqlRate = psqlRows / psqlSeconds;
    const stagingQuality = stagingSeconds + checkSeconds;
    const verdicts = reports.reduce((sum, r) => sum + r.quarantined + r.warnings, 0);
    console.log('');
    console.log(`rows                          ${rows.toLocaleString('en-US')}`);
    console.log(`psql \\copy (baseline)         ${psqlSeconds.toFixed(2)} s   ${Math.round(psqlRate).toLocaleString('en-US')} rows/s`);
    console.log(`olist staging (COPY csv)       ${stagingSeconds.toFixed(2)} s   ${Math.round(copyRate).toLocaleString('en-US')} rows/s   ${((100 * copyRate) / psqlRate).toFixed(0)} % of psql (target ≥ 70 %: ${copyRate >= 0.7 * psqlRate ? 'PASS' : 'MISS'})`);
    console.log(`quality rules                 ${checkSeconds.toFixed(2)} s   (${verdicts.toLocaleString('en-US')} rows with verdicts)`);
    console.log(`staging + quality             ${stagingQuality.toFixed(2)} s   (target ≤ 15 s: ${stagingQuality <= 15 ? 'PASS' : 'MISS'})`);
    console.log(
      JSON.stringify({
        bench: 'load',
        rows,
        copy_rows_per_s: Math.round(copyRate),
        psql_rows_per_s: Math.round(psqlRate),
        staging_quality_s: Math.round(stagingQuality * 100) / 100,
      }),
    );
  } finally {
    await pool.end();
    await db.drop();
    dataset.cleanup();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
