import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Client } from 'pg';
import { Topology } from '@olist/messaging';
import { NatsConnectionHolder } from '@olist/service-kit';
import { natsServerUrl } from '@olist/testing';
import { runBaseline } from './baseline';
import { BenchOptions, pacedEvents, pacedPerTick, parseOptions, usage, UsageError } from './options';
import { Pipeline, PipelineCheck } from './pipeline';
import { createScratchDatabase, deleteStreams, runAll } from './scratch';
import { formatCount, formatMs, formatSeconds, idleShare, latencies, renderTable, significant } from './stats';

/**
 * Throughput and latency of the event backbone against the real Postgres and NATS JetStream:
 *   1. baseline: JetStream alone, pipelined publishes of envelope-sized messages;
 *   2. saturation: outbox writers → OutboxRelay → JetStream → DurableConsumer, as fast as it goes;
 *   3. latency: the same path with the writer paced, outbox commit → consumer commit per event.
 * Everything lives in a scratch database and streams under a random prefix, removed at the end.
 *
 * Process layout (--processes): the writers and the relay run in this process, as in the service
 * that owns the outbox; by default the consumer runs in a Node process of its own, as in a service
 * that consumes the stream. On the 2-core machine these figures come from, one event loop carrying
 * writers, relay and consumer is the first thing to saturate, and a second process measurably
 * helps: 7,500-8,100 → 8,000-8,550 events/s with the current runtime (where the relay is the
 * limit) and 13,100-13,400 → 14,650-15,050 with the relay and consumer changes described in
 * tools/bench/README.md; p99 latency at 5,000 events/s stays within 20-70 ms either way. Two
 * concurrent writers (--writers) keep the outbox side from being the limit: a single writer waits
 * for each commit and caps the whole path at its own rate.
 */

const TARGET_EVENTS_PER_S = 15_000;
const TARGET_P99_MS = 100;
const CONTEXTS = ['sales'] as const;

const log = (message: string) => process.stderr.write(`${message}\n`);

interface Report {
  readonly options: BenchOptions;
  readonly environment: string;
  readonly bodyBytes: number;
  readonly baselinePerS: number;
  readonly baselineMs: number;
  readonly saturation: { writerMs: number; relayMs: number; consumerMs: number; perS: number; check: PipelineCheck };
  readonly latency: {
    events: number;
    writeMs: number;
    drainMs: number;
    p50: number;
    p90: number;
    p99: number;
    max: number;
    missing: number;
    check: PipelineCheck;
  };
}

async function main(): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    log(`${error.message}\n${usage()}`);
    return 2;
  }

  // Other work on the machine skews every figure: say how idle it was just before the run.
  const idle = await idleShare(1_000, () => os.cpus());
  const run = randomBytes(3).toString('hex');
  const prefix = `bench${run}`;
  const topologies = {
    baseline: new Topology(`${prefix}-base`),
    saturation: new Topology(`${prefix}-sat`),
    latency: new Topology(`${prefix}-lat`),
  };
  // Undone in reverse order, on success, failure or interruption alike.
  const undo: (() => Promise<unknown>)[] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = () => (cleaning ??= runAll([...undo].reverse()));
  const interrupted = (signal: NodeJS.Signals) => {
    log(`${signal}: cleaning up`);
    void cleanup()
      .catch((error: unknown) => log(`cleanup failed: ${describe(error)}`))
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  let result: Report;
  try {
    const db = await createScratchDatabase('bench');
    undo.push(async () => {
      await db.drop();
      log(`dropped database ${db.name}`);
    });
    // The connection a service opens (same options): baseline and relay, and the consumer with --processes 1.
    const natsUrl = await natsServerUrl();
    const nats = await NatsConnectionHolder.open({ url: natsUrl, name: `olist-bench-${run}` });
    const nc = nats.connection;
    undo.push(() => nats.onApplicationShutdown());
    const js = jetstream(nc);
    const jsm = await jetstreamManager(nc);
    undo.push(async () => {
      const deleted = await deleteStreams(jsm, Object.values(topologies), CONTEXTS);
      log(`deleted streams ${deleted.join(', ') || '(none)'}`);
    });
    log(`scratch database ${db.name}, stream prefix ${prefix}`);

    log(`baseline: publishing ${formatCount(options.events)} messages, ${options.baselineWindow} in flight`);
    const baseline = await runBaseline(js, jsm, topologies.baseline, run, options.events, options.baselineWindow);
    await deleteStreams(jsm, [topologies.baseline], CONTEXTS);

    const settings = {
      databaseUrl: db.url,
      natsUrl,
      consumerProcess: options.processes === 2,
      js,
      jsm,
      run,
      relayBatch: options.relayBatch,
      relayWindow: options.relayWindow,
      relayPollMs: options.relayPollMs,
      consumerBatch: options.consumerBatch,
    };
    const register = (stop: () => Promise<void>) => undo.push(stop);

    log(`saturation: writing ${formatCount(options.events)} events, ${options.writeChunk} per transaction`);
    const sat = await Pipeline.start({ ...settings, events: options.events, schema: 'bench_saturation', topology: topologies.saturation }, register);
    const satWrite = await sat.saturate(options.events, options.writeChunk, options.writers);
    const satApplied = await sat.waitApplied(options.stallTimeoutMs);
    const satCheck = await sat.check();
    await sat.stop();
    await deleteStreams(jsm, [topologies.saturation], CONTEXTS);
    const t0 = satWrite.startedAt;
    const saturation = {
      writerMs: satWrite.finishedAt - t0,
      relayMs: sat.lastPublishAt - t0,
      consumerMs: satApplied - t0,
      perS: options.events / ((satApplied - t0) / 1_000),
      check: satCheck,
    };

    const latencyEvents = pacedEvents(options);
    log(`latency: writing ${formatCount(latencyEvents)} events at ${formatCount(options.pacedRate)}/s (${pacedPerTick(options)} every ${options.pacedTickMs} ms)`);
    const lat = await Pipeline.start({ ...settings, events: latencyEvents, schema: 'bench_latency', topology: topologies.latency }, register);
    const latWrite = await lat.paced(latencyEvents, pacedPerTick(options), options.pacedTickMs);
    const latApplied = await lat.waitApplied(options.stallTimeoutMs);
    const latCheck = await lat.check();
    const summary = latencies(latWrite.committed ?? new Map(), await lat.commitTimes());
    await lat.stop();

    const pg = await serverVersion(db.url);
    result = {
      options,
      environment: `Postgres ${pg}, nats-server ${nc.info?.version ?? '?'}, Node ${process.version}, ${os.cpus().length} CPUs, ${Math.round(idle * 100)}% idle before the run`,
      bodyBytes: baseline.bodyBytes,
      baselinePerS: baseline.perSecond,
      baselineMs: baseline.elapsedMs,
      saturation,
      latency: {
        events: latencyEvents,
        writeMs: latWrite.finishedAt - latWrite.startedAt,
        drainMs: latApplied - latWrite.finishedAt,
        ...summary,
        check: latCheck,
      },
    };
  } finally {
    await cleanup();
  }
  // After the cleanup, so that the JSON summary is the last line of the output.
  report(result);
  return 0;
}

async function serverVersion(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v.split(' ')[0] ?? '?';
  } finally {
    await client.end();
  }
}

function verdict(ok: boolean): string {
  return ok ? 'PASS' : 'MISS';
}

function checkLine(label: string, expected: number, c: PipelineCheck): string | undefined {
  const problems = [
    c.unpublished !== 0 && `${c.unpublished} unpublished`,
    c.outboxEvents !== expected && `${c.outboxEvents} in the outbox`,
    c.streamMessages !== c.outboxRows && `${c.streamMessages} messages in the stream for ${c.outboxRows} outbox rows`,
    c.effects !== expected && `${c.effects} side effects`,
    c.distinctEffects !== c.effects && `${c.effects - c.distinctEffects} applied twice`,
  ].filter(Boolean);
  return problems.length > 0 ? `WARNING ${label}: expected ${expected} of each, found ${problems.join(', ')}` : undefined;
}

function report(r: Report): void {
  const { options: o, saturation: s, latency: l } = r;
  const ratio = s.perS / r.baselinePerS;
  const rate = (n: number, ms: number) => `${formatCount(n / (ms / 1_000))}/s`;
  const rows: string[][] = [
    ['measure', 'value', 'target', 'result'],
    [`baseline: JetStream publish, ${o.baselineWindow} in flight`, `${formatCount(r.baselinePerS)} msg/s`, '', ''],
    [`saturation: ${formatCount(o.events)} events end to end`, `${formatCount(s.perS)} events/s`, `>= ${formatCount(TARGET_EVENTS_PER_S)}/s`, verdict(s.perS >= TARGET_EVENTS_PER_S)],
    ['  events_per_s / baseline_publish_per_s', ratio.toFixed(3), '', ''],
    ['  writer: last outbox commit', `${formatSeconds(s.writerMs)} (${rate(o.events, s.writerMs)})`, '', ''],
    ['  relay: last PubAck', formatSeconds(s.relayMs), '', ''],
    ['  consumer: last commit', formatSeconds(s.consumerMs), '', ''],
    [`latency: ${formatCount(l.events)} events paced at ${formatCount(o.pacedRate)}/s`, `written at ${rate(l.events, l.writeMs)}`, '', ''],
    ['  consumer: last commit after the last write', formatMs(l.drainMs), '', ''],
    ['  p50 outbox commit -> consumer commit', formatMs(l.p50), '', ''],
    ['  p90', formatMs(l.p90), '', ''],
    ['  p99', formatMs(l.p99), `< ${TARGET_P99_MS} ms`, verdict(l.p99 < TARGET_P99_MS)],
    ['  max', formatMs(l.max), '', ''],
  ];
  const lines = [
    '',
    `Event backbone benchmark: ${r.environment}`,
    `envelopes of ${Math.round(r.bodyBytes)} bytes; ${o.writers} writer(s), transactions of ${o.writeChunk}; relay batch ${o.relayBatch}, window ${o.relayWindow}; consumer batch ${o.consumerBatch}`,
    o.processes === 2 ? 'writers and relay in this process, the consumer in a process of its own' : 'writers, relay and consumer in this process',
    '',
    renderTable(rows),
    '',
  ];
  for (const warning of [checkLine('saturation', o.events, s.check), checkLine('latency', l.events, l.check)]) if (warning) lines.push(warning);
  if (l.missing > 0) lines.push(`WARNING latency: ${l.missing} events without a consumer commit time`);
  process.stdout.write(`${lines.join('\n')}\n`);
  const json = {
    bench: 'events',
    events: o.events,
    events_per_s: Math.round(s.perS),
    baseline_publish_per_s: Math.round(r.baselinePerS),
    paced_rate: o.pacedRate,
    p50_ms: significant(l.p50, 3),
    p99_ms: significant(l.p99, 3),
  };
  process.stdout.write(`${JSON.stringify(json)}\n`);
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`bench failed: ${describe(error)}`);
    process.exit(1);
  },
);
