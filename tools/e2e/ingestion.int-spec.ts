import { execFile } from 'node:child_process';
import { cpSync, createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { parse } from 'csv-parse';
import { Client } from 'pg';
import { IMPORT_FILE_NAMES, IMPORT_FILES } from '@olist/quality-contracts';
import { createTestDatabase, freePort, OwnNatsServer, TestDatabase } from '@olist/testing';
import { cleanEnv, ROOT, Spawned } from './platform-process';

const run = promisify(execFile);
const SAMPLE = path.resolve(ROOT, '../shared/data/olist-sample');
const hasSample = existsSync(path.join(SAMPLE, 'olist_orders_dataset.csv'));
if (!hasSample) console.warn(`SKIPPED: the Olist sample is not at ${SAMPLE}; the ingestion tests on real rows do not run`);
const describeWithSample = hasSample ? describe : describe.skip;
jest.setTimeout(180_000);

/** Records of a CSV file counted independently of the loader. */
async function csvRecords(file: string): Promise<number> {
  let n = -1;
  for await (const _ of createReadStream(file).pipe(parse({ bom: true, relax_column_count: true }))) n++;
  return n;
}

interface LoadJson {
  loadId: string;
  gate: string;
  status: string;
  unchanged: boolean;
  files: Record<string, { records: number; accepted: number; quarantined: number; warnings: number; rules: Record<string, number> }>;
  feed: { changedRows: number; messages: number };
  caughtUp?: boolean;
}

describeWithSample('olist load on the real Olist sample', () => {
  let db: TestDatabase;
  let nats: OwnNatsServer;
  let quality: Spawned;
  let env: NodeJS.ProcessEnv;
  let work: string;

  const olist = async (...args: string[]) => {
    const result = await run(process.execPath, ['bin/olist.js', ...args], { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 }).catch(
      (e: { stdout: string; stderr: string; code: number }) => e,
    );
    return { stdout: result.stdout, stderr: result.stderr, code: (result as { code?: number }).code ?? 0 };
  };
  const importMessages = async () => {
    const nc = await connect({ servers: nats.url });
    try {
      return (await (await jetstreamManager(nc)).streams.info('OLIST_IMPORT')).state.messages;
    } finally {
      await nc.close();
    }
  };

  beforeAll(async () => {
    [db, nats] = await Promise.all([createTestDatabase('ingestion'), OwnNatsServer.start()]);
    env = cleanEnv({ DATABASE_URL: db.url, NATS_URL: nats.url, QUALITY_PORT: String(await freePort()) });
    quality = Spawned.node(['dist/apps/quality/src/main.js'], env);
    await quality.waitFor('quality listening', 60_000);
    work = mkdtempSync(path.join(tmpdir(), 'olist-ingestion-'));
  });

  afterAll(async () => {
    quality?.child.kill('SIGTERM');
    await quality?.exited;
    await nats?.dispose();
    await db?.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  let first: LoadJson;

  it('accounts for every record of every file, accepted or quarantined, and shows the known quirks', async () => {
    const result = await olist('load', SAMPLE, '--json', '--wait', '--wait-timeout', '120');
    expect(result.stderr).toBe('');
    first = JSON.parse(result.stdout) as LoadJson;
    expect(first).toMatchObject({ gate: 'passed', status: 'published', unchanged: false, caughtUp: true });
    for (const file of IMPORT_FILES) {
      const name = IMPORT_FILE_NAMES[file];
      const report = first.files[name]!;
      expect({ name, records: report.records }).toEqual({ name, records: await csvRecords(path.join(SAMPLE, name)) });
      expect(report.accepted + report.quarantined).toBe(report.records);
    }
    const geo = first.files['olist_geolocation_dataset.csv']!;
    expect(geo.rules['GEO.DUPLICATE_ROW']).toBe(1_848);
    expect(geo.rules['GEO.OUTSIDE_BRAZIL']).toBe(3);
    expect(first.files['olist_order_reviews_dataset.csv']!.warnings).toBeGreaterThanOrEqual(20);
  });

  it('publishes the accepted rows once on the raw feed (duplicate geolocation rows once)', async () => {
    const geoName = IMPORT_FILE_NAMES.geolocation;
    const acceptedElsewhere = Object.entries(first.files).filter(([name]) => name !== geoName).reduce((sum, [, f]) => sum + f.accepted, 0);
    // Computed from the file: distinct geolocation rows whose point lies inside Brazil's box.
    const distinctInside = new Set<string>();
    let header = true;
    for await (const row of createReadStream(path.join(SAMPLE, geoName)).pipe(parse({ bom: true })) as AsyncIterable<string[]>) {
      if (header) {
        header = false;
        continue;
      }
      const [lat, lng] = [Number(row[1]), Number(row[2])];
      if (lat >= -33.75 && lat <= 5.27 && lng >= -73.99 && lng <= -34.79) distinctInside.add(row.join('\u0001'));
    }
    expect(first.feed.changedRows).toBe(acceptedElsewhere + distinctInside.size);
    expect(await importMessages()).toBe(first.feed.messages);
  });

  it('lists quarantined rows with file, line, rule and message', async () => {
    const result = await olist('quarantine', first.loadId, '--json');
    const { quarantined } = JSON.parse(result.stdout) as { quarantined: { file: string; line: number; rule: string; message: string }[] };
    const outside = quarantined.filter((q) => q.rule === 'GEO.OUTSIDE_BRAZIL');
    expect(outside).toHaveLength(3);
    for (const q of outside) {
      expect(q.file).toBe('olist_geolocation_dataset.csv');
      expect(q.line).toBeGreaterThan(1);
      expect(q.message.length).toBeGreaterThan(10);
    }
    const total = Object.values(first.files).reduce((sum, f) => sum + f.quarantined, 0);
    expect(new Set(quarantined.map((q) => `${q.file}:${q.line}`)).size).toBe(total);
  });

  it('reports the same files loaded again as unchanged and publishes nothing', async () => {
    const before = await importMessages();
    const again = JSON.parse((await olist('load', SAMPLE, '--json')).stdout) as LoadJson;
    expect(again).toMatchObject({ gate: 'passed', status: 'unchanged', unchanged: true, feed: { changedRows: 0, messages: 0 } });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await importMessages()).toBe(before);
  });

  it('publishes a changed row again, and only that row', async () => {
    const dir = path.join(work, 'changed');
    cpSync(SAMPLE, dir, { recursive: true });
    const sellers = path.join(dir, 'olist_sellers_dataset.csv');
    const lines = readFileSync(sellers, 'utf8').split('\n');
    const cells = lines[1]!.split(',');
    cells[2] = 'cidade renomeada';
    lines[1] = cells.join(',');
    writeFileSync(sellers, lines.join('\n'));
    const before = await importMessages();
    const changed = JSON.parse((await olist('load', dir, '--json')).stdout) as LoadJson;
    expect(changed).toMatchObject({ status: 'published', feed: { changedRows: 1, messages: 1 } });
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await importMessages()).toBe(before + 1);
  });

  it('refuses a directory with a missing file or a wrong header, naming it, and leaves no load marked successful', async () => {
    const dir = path.join(work, 'broken');
    cpSync(SAMPLE, dir, { recursive: true });
    rmSync(path.join(dir, 'olist_sellers_dataset.csv'));
    const missing = await olist('load', dir);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('missing in');
    expect(missing.stderr).toContain('olist_sellers_dataset.csv');

    writeFileSync(path.join(dir, 'olist_sellers_dataset.csv'), 'seller_id,zip,seller_city,seller_state\nx,01046,sao paulo,SP\n');
    const wrong = await olist('load', dir, '--json');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('olist_sellers_dataset.csv line 1: wrong header: expected seller_id, seller_zip_code_prefix, seller_city, seller_state; found seller_id, zip');
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    try {
      const { rows } = await admin.query(`SELECT status, failure FROM quality.loads ORDER BY started_at DESC LIMIT 1`);
      expect(rows[0].status).toBe('failed');
      expect(rows[0].failure).toContain('wrong header');
    } finally {
      await admin.end();
    }
  });
});
