import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Pool } from 'pg';
import { STREAM_CONTEXTS, Topology } from '@olist/messaging';
import { IMPORT_FILE_NAMES, IMPORT_FILES } from '@olist/quality-contracts';
import { SERVICE_NODE_ARGS } from '@olist/service-kit';
import { createTestDatabase, freePort, OwnNatsServer } from '@olist/testing';
import { benchDataset } from './bench-dataset';
import { CpuSampler, postgresRole, splitPostgres } from './cpu-sampler';
import { plainSqlBuild, revenueTotals } from './e2e-baseline';

const ROOT = path.resolve(__dirname, '../../../..');
const SERVICES = ['quality', 'sales', 'fulfillment', 'marketplace', 'customer', 'warehouse'] as const;

/** Peak resident memory of a process so far (VmHWM), in MB; null once it is gone. */
function peakRssMb(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

/** With BENCH_LOG_DIR set, each process's output is also written to `<dir>/<name>.log`, each line prefixed with the pipeline's seconds. */
const LOG_DIR = process.env['BENCH_LOG_DIR'];
let logOrigin = performance.now();

class Child {
  output = '';
  peakMb = 0;
  readonly exited: Promise<number | null>;
  constructor(readonly name: string, readonly child: ChildProcess) {
    const keep = (d: Buffer) => {
      this.output = (this.output + d.toString()).slice(-200_000);
      if (LOG_DIR) {
        const at = ((performance.now() - logOrigin) / 1000).toFixed(2);
        appendFileSync(path.join(LOG_DIR, `${name}.log`), d.toString().replace(/^(?=.)/gm, `${at} `));
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }
  sample(): void {
    this.peakMb = Math.max(this.peakMb, peakRssMb(this.child.pid) ?? 0);
  }
  async waitFor(text: string, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.output.includes(text)) {
      if (this.child.exitCode !== null) throw new Error(`${this.name} exited (${this.child.exitCode}):\n${this.output.slice(-4000)}`);
      if (Date.now() > deadline) throw new Error(`${this.name}: no "${text}" within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * `npm run bench:e2e`: the whole pipeline on a generated scale-1 data set (or `-- --data DIR`):
 * the six services started on a scratch database and a nats-server of the bench's own, then
 * `olist load` → the contexts → their events → the warehouse caught up with its marts built.
 * Beside it, in the same run, the baseline: `psql \copy` of the same files plus a plain SQL build
 * of the same star schema and marts. Prints wall time, the time of each stage, each service's
 * peak memory, and as its last line one JSON object.
 */
async function main(): Promise<void> {
  const dataset = await benchDataset(process.argv.slice(2), 'e2e');
  const dir = dataset.dir;
  for (const file of IMPORT_FILES) if (!existsSync(path.join(dir, IMPORT_FILE_NAMES[file]))) throw new Error(`missing ${path.join(dir, IMPORT_FILE_NAMES[file])}`);

  const [db, baselineDb, nats] = await Promise.all([createTestDatabase('bench_e2e'), createTestDatabase('bench_e2e_baseline'), OwnNatsServer.start()]);
  const children: Child[] = [];
  const pool = new Pool({ connectionString: db.url, max: 2 });
  const nc = await connect({ servers: nats.url });
  try {
    // --- baseline first, so the pipeline's services do not compete with it ---------------------
    const baseline = await plainSqlBuild(baselineDb.url, dir);
    const baselineSeconds = baseline.copySeconds + baseline.buildSeconds;
    console.log(`baseline: psql \\copy ${baseline.copySeconds.toFixed(2)} s + plain SQL star schema and marts ${baseline.buildSeconds.toFixed(2)} s`);

    // --- the platform --------------------------------------------------------------------------
    // BENCH_LOG_LEVEL (e.g. `info`) lets the services say more, for BENCH_LOG_DIR.
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: db.url, NATS_URL: nats.url, LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'warn' };
    if (LOG_DIR) mkdirSync(LOG_DIR, { recursive: true });
    for (const k of Object.keys(env)) if (/_DATABASE_URL$|^OLIST_NATS_PREFIX$/.test(k)) delete env[k];
    for (const s of [...SERVICES, 'gateway']) env[`${s.toUpperCase()}_PORT`] = String(await freePort());
    // Extra Node options for the services only (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`): NODE_OPTIONS would reach the bench and `olist load` too.
    const serviceNodeArgs = (process.env['BENCH_SERVICE_NODE_ARGS'] ?? '').split(/\s+/).filter(Boolean);
    const startedServices = performance.now();
    for (const s of SERVICES) {
      children.push(new Child(s, spawn(process.execPath, [...SERVICE_NODE_ARGS, ...serviceNodeArgs, path.join(ROOT, `dist/apps/${s}/src/main.js`)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })));
    }
    await Promise.all(children.map((c) => waitReady(c, Number(env[`${c.name.toUpperCase()}_PORT`]))));
    console.log(`services ready in ${((performance.now() - startedServices) / 1000).toFixed(1)} s`);

    const jsm = await jetstreamManager(nc);
    const topology = new Topology();
    const sampler = setInterval(() => children.forEach((c) => c.sample()), 200);
    const dbName = new URL(db.url).pathname.slice(1);
    const natsPort = new URL(nats.url.replace(/^nats:/, 'http:')).port;
    const cpu = new CpuSampler((pid, cmd) => {
      const service = children.find((c) => c.child.pid === pid);
      if (service) return service.name;
      if (cmd.startsWith('postgres:') && cmd.includes(dbName)) return `postgres/${postgresRole(cmd, dbName)}`;
      if (cmd.includes('nats-server') && cmd.includes(natsPort)) return 'nats';
      if (cmd.includes('bin/olist.js load')) return 'cli-load';
      return undefined;
    });
    cpu.start();
    const t0 = performance.now();
    logOrigin = t0;
    const load = new Child('load', spawn(process.execPath, [path.join(ROOT, 'bin/olist.js'), 'load', dir, '--json'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }));
    const loadSampler = setInterval(() => load.sample(), 100);
    const loadCode = await load.exited;
    clearInterval(loadSampler);
    const tLoaded = performance.now();
    if (loadCode !== 0) throw new Error(`olist load failed (${loadCode}):\n${load.output.slice(-4000)}`);
    const loadJson = JSON.parse(load.output.trim().split('\n').pop() as string) as { gate: string };
    if (loadJson.gate !== 'passed') throw new Error(`the quality gate failed: ${load.output.slice(-2000)}`);

    // Contexts caught up: every consumer but the warehouse's has nothing pending and every
    // context outbox is relayed; then the warehouse: its consumers and its marts.
    let tContexts = 0;
    // When each durable consumer last had something pending: the last one to finish is the critical path.
    const lastBusy: Record<string, number> = {};
    for (;;) {
      const s = await pipelineState(jsm, pool, topology);
      for (const [name, pending] of Object.entries(s.pendingByConsumer)) {
        if (pending > 0 || !(name in lastBusy)) lastBusy[name] = (performance.now() - t0) / 1000;
      }
      if (!tContexts && s.contextsDone) tContexts = performance.now();
      if (tContexts && s.warehouseDone) break;
      if (performance.now() - t0 > 1_800_000) throw new Error(`not caught up after 30 minutes: ${JSON.stringify(s)}`);
      // Polled gently: the poll's own queries compete with the pipeline for the same two cores.
      await new Promise((r) => setTimeout(r, 250));
    }
    const tDone = performance.now();
    clearInterval(sampler);
    const { total: cpuSeconds, postgresByRole } = splitPostgres(cpu.stop());
    children.forEach((c) => c.sample());

    const applySeconds = await consumerApplySeconds(children, env);
    const pipeline = await revenueTotals(pool);
    const same = JSON.stringify(pipeline) === JSON.stringify(baseline.revenue);
    const pipelineSeconds = (tDone - t0) / 1000;
    const stages = {
      load: round((tLoaded - t0) / 1000),
      contexts: round((tContexts - tLoaded) / 1000),
      warehouse: round((tDone - tContexts) / 1000),
    };
    const peak: Record<string, number> = { 'cli-load': load.peakMb };
    for (const c of children) peak[c.name] = c.peakMb;

    console.log('');
    console.log(`pipeline (load → contexts → events → warehouse)   ${pipelineSeconds.toFixed(2)} s`);
    console.log(`  load (staging, rules, raw feed written)         ${stages.load.toFixed(2)} s`);
    console.log(`  contexts caught up (feed relayed and applied)   ${stages.contexts.toFixed(2)} s`);
    console.log(`  warehouse caught up, marts built                ${stages.warehouse.toFixed(2)} s`);
    console.log(`baseline (psql \\copy + plain SQL build)           ${baselineSeconds.toFixed(2)} s`);
    console.log(`ratio pipeline / baseline                         ${(pipelineSeconds / baselineSeconds).toFixed(1)}×`);
    console.log(`peak RSS (MB)                                     ${Object.entries(peak).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(`CPU time (s)                                      ${Object.entries(cpuSeconds).sort(([, a], [, b]) => b - a).map(([k, v]) => `${k} ${v}`).join(', ')} (2 cores × ${pipelineSeconds.toFixed(0)} s = ${(2 * pipelineSeconds).toFixed(0)})`);
    console.log(`Postgres CPU by role (s)                          ${Object.entries(postgresByRole).sort(([, a], [, b]) => b - a).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(`consumers done at (s)                             ${Object.entries(lastBusy).sort(([, a], [, b]) => b - a).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
    console.log(`apply time per consumer (s)                       ${Object.entries(applySeconds).sort(([, a], [, b]) => b - a).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log(`marts vs baseline (orders, GMV, payments, delivered) ${same ? 'equal' : `DIFFER: pipeline ${JSON.stringify(pipeline)} baseline ${JSON.stringify(baseline.revenue)}`}`);
    console.log(`targets: pipeline ≤ 60 s ${pipelineSeconds <= 60 ? 'PASS' : 'MISS'}; ≤ 15× baseline ${pipelineSeconds <= 15 * baselineSeconds ? 'PASS' : 'MISS'}`);
    console.log(
      JSON.stringify({
        bench: 'e2e',
        pipeline_s: round(pipelineSeconds),
        baseline_s: round(baselineSeconds),
        stages_s: stages,
        peak_rss_mb: peak,
      }),
    );
    if (!same) process.exitCode = 1;
  } finally {
    for (const c of children) c.child.kill('SIGTERM');
    await Promise.all(children.map((c) => c.exited));
    await nc.close().catch(() => undefined);
    await pool.end().catch(() => undefined);
    await nats.dispose();
    if (!process.env['BENCH_KEEP_DB']) await Promise.all([db.drop(), baselineDb.drop()]); else console.log('kept', db.url, 'and', baselineDb.url);
    dataset.cleanup();
  }
}

const round = (n: number) => Math.round(n * 100) / 100;

/** Seconds each durable consumer spent in its transactions (olist_consumer_batch_seconds_sum of /metrics). */
async function consumerApplySeconds(children: readonly Child[], env: NodeJS.ProcessEnv): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const c of children) {
    const text = await fetch(`http://127.0.0.1:${env[`${c.name.toUpperCase()}_PORT`]}/metrics`).then((r) => r.text(), () => '');
    for (const m of text.matchAll(/^olist_consumer_batch_seconds_sum\{[^}]*consumer="([^"]+)"[^}]*\} (\S+)$/gm)) {
      out[m[1] as string] = round((out[m[1] as string] ?? 0) + Number(m[2]));
    }
  }
  return out;
}

async function waitReady(child: Child, port: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.child.exitCode !== null) throw new Error(`${child.name} exited (${child.child.exitCode}):\n${child.output.slice(-4000)}`);
    const ok = await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${child.name} not ready after 120 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function pipelineState(jsm: Awaited<ReturnType<typeof jetstreamManager>>, pool: Pool, topology: Topology) {
  let contextPending = 0;
  let warehousePending = 0;
  const pendingByConsumer: Record<string, number> = {};
  for (const context of STREAM_CONTEXTS) {
    const name = topology.stream(context);
    const info = await jsm.streams.info(name).catch(() => undefined);
    if (!info) continue;
    for await (const c of jsm.consumers.list(name)) {
      const pending = c.num_pending + c.num_ack_pending;
      pendingByConsumer[c.name] = pending;
      if (c.name.startsWith('warehouse-')) warehousePending += pending;
      else contextPending += pending;
    }
  }
  const { rows } = await pool.query<{ backlog: number; applied: string; built_from: string; built: boolean }>(`
    SELECT (EXISTS (SELECT 1 FROM quality.outbox WHERE published_at IS NULL) OR EXISTS (SELECT 1 FROM sales.outbox WHERE published_at IS NULL)
         OR EXISTS (SELECT 1 FROM fulfillment.outbox WHERE published_at IS NULL) OR EXISTS (SELECT 1 FROM marketplace.outbox WHERE published_at IS NULL)
         OR EXISTS (SELECT 1 FROM customer.outbox WHERE published_at IS NULL))::int AS backlog,
           (SELECT coalesce(sum(applied_events), 0) FROM core.projection_state) AS applied,
           b.built_from, b.built_at IS NOT NULL AS built
      FROM core.mart_build b`);
  const r = rows[0] as { backlog: number; applied: string; built_from: string; built: boolean };
  const contextsDone = contextPending === 0 && r.backlog === 0;
  return { pendingByConsumer, contextPending, warehousePending, backlog: r.backlog, contextsDone, warehouseDone: contextsDone && warehousePending === 0 && r.built && r.applied === r.built_from && Number(r.applied) > 0 };
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : String(error));
  process.exitCode = 1;
});
