import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { jetstream, jetstreamManager, JetStreamManager } from '@nats-io/jetstream';
import { connect, NatsConnection } from '@nats-io/transport-node';
import { Pool } from 'pg';
import { ContractRegistry, ContractViolationError, DurableConsumer, ensureStreams, EventContract, HEADER, Outbox, OutboxRelay, PgTransactor, Topology } from '@olist/messaging';
import {
  createMessagingFixture,
  createTestDatabase,
  FIXTURE_SCHEMA,
  OwnNatsServer,
  recordEffects,
  TestDatabase,
  writeTestEvents,
} from '@olist/testing';
import { ROOT } from './platform-process';

jest.setTimeout(120_000);

const WORKER = path.join(ROOT, 'dist/libs/testing/src/messaging/messaging-worker.js');
const schema = FIXTURE_SCHEMA;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

/**
 * The outbox → relay → JetStream → inbox path against the real Postgres and a nats-server of the
 * test's own, including processes killed at the worst moments.
 */
describe('event backbone', () => {
  let db: TestDatabase;
  let nats: OwnNatsServer;
  let pool: Pool;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const workers: ChildProcess[] = [];
  let prefixCounter = 0;
  let topology: Topology;

  beforeAll(async () => {
    [db, nats] = await Promise.all([createTestDatabase('backbone'), OwnNatsServer.start()]);
    pool = await createMessagingFixture(db.url);
    nc = await connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 250 });
    jsm = await jetstreamManager(nc);
  });

  beforeEach(async () => {
    // A fresh stream prefix and empty tables for every scenario.
    topology = new Topology(`t${++prefixCounter}`);
    await pool.query(`TRUNCATE "${schema}".outbox, "${schema}".inbox, "${schema}".dead_letter, "${schema}".effects`);
    await ensureStreams(jsm, topology, ['sales']);
  });

  const stoppers: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const w of workers.splice(0)) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await Promise.all(stoppers.splice(0).map((stop) => stop().catch(() => undefined)));
  });

  afterAll(async () => {
    await nc?.close();
    await pool?.end();
    await nats?.dispose();
    await db?.drop();
  });

  const streamCount = async () => (await jsm.streams.info(topology.stream('sales'))).state.messages;
  /** Event ids in the stream, in order, each envelope of a batch message (Olist-Events) counted. */
  const streamEventIds = async () => {
    const messages = await streamCount();
    const ids: string[] = [];
    if (messages === 0) return ids;
    const consumer = await jsm.jetstream().consumers.get(topology.stream('sales'));
    let seen = 0;
    for await (const m of await consumer.fetch({ max_messages: messages, expires: 5_000 })) {
      const body = m.json<{ id: string } | { id: string }[]>();
      ids.push(...(m.headers?.get(HEADER.events) ? (body as { id: string }[]).map((e) => e.id) : [(body as { id: string }).id]));
      if (++seen === messages) break;
    }
    return ids;
  };
  const streamEvents = async () => (await streamEventIds()).length;
  const effects = async () =>
    (await pool.query<{ total: number; distinct: number }>(`SELECT count(*)::int AS total, count(DISTINCT event_id)::int AS distinct FROM "${schema}".effects`)).rows[0]!;
  const unpublished = async () =>
    (await pool.query<{ n: number }>(`SELECT coalesce(sum(events), 0)::int AS n FROM "${schema}".outbox WHERE published_at IS NULL`)).rows[0]!.n;

  function worker(env: Record<string, string>): { child: ChildProcess; exited: Promise<NodeJS.Signals | number | null>; ready: Promise<void> } {
    const child = spawn(process.execPath, [WORKER], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: db.url, NATS_URL: nats.url, SCHEMA: schema, PREFIX: topology.prefix, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    workers.push(child);
    let output = '';
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<NodeJS.Signals | number | null>((r) => child.once('exit', (code, signal) => r(signal ?? code)));
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => d.toString().includes('worker ready') && resolve());
      void exited.then((how) => reject(new Error(`worker exited (${how}) before ready: ${output}`)));
    });
    return { child, exited, ready };
  }

  function inProcessConsumer(
    instance: string,
    overrides: { maxDeliveries?: number; handler?: (ids: string[]) => void | Promise<void>; holdBack?: () => boolean | Promise<boolean> } = {},
  ) {
    return connect({ servers: nats.url, maxReconnectAttempts: -1, reconnectTimeWait: 250 }).then(async (conn) => {
      const consumer = new DurableConsumer(
        {
          name: 'test-consumer',
          stream: 'sales',
          subjects: ['olist.sales.>'],
          maxDeliveries: overrides.maxDeliveries ?? 5,
          backoffMs: [100],
          ...(overrides.holdBack ? { holdBack: overrides.holdBack } : {}),
          handler: async (messages, tx) => {
            await overrides.handler?.(messages.map((m) => m.json<{ payload: { poison?: boolean } }>().payload.poison ? 'poison' : m.eventId));
            await recordEffects(tx, schema, messages.map((m) => m.eventId), instance);
          },
        },
        { schema, transactor: new PgTransactor(pool), js: jetstream(conn), jsm: await jetstreamManager(conn), topology },
      );
      await consumer.ensure();
      consumer.start();
      const stop = async () => {
        await consumer.stop();
        if (!conn.isClosed()) await conn.close();
      };
      stoppers.push(stop);
      return { consumer, stop };
    });
  }

  function inProcessRelay() {
    const relay = new OutboxRelay({ schema, database: { connectionString: db.url }, js: jetstream(nc), topology, batchSize: 500, pollIntervalMs: 200 });
    relay.start();
    stoppers.push(() => relay.stop());
    return relay;
  }

  it('(a) relay killed between publish and marking: after restart every event is in the stream exactly once', async () => {
    // The events go into batch rows; the crashing relay publishes its first round of two rows, then dies.
    await writeTestEvents(pool, 2_000);
    const rows = (await pool.query<{ events: number }>(`SELECT events FROM "${schema}".outbox ORDER BY position`)).rows.map((r) => r.events);
    expect(rows.length).toBeGreaterThan(2);
    const crashing = worker({ ROLE: 'relay', CRASH: 'after-publish', BATCH: '2' });
    expect(await crashing.exited).toBe('SIGKILL');
    expect(await streamCount()).toBe(2);
    expect(await streamEvents()).toBe(rows[0]! + rows[1]!);
    expect(await unpublished()).toBe(2_000);

    const restarted = worker({ ROLE: 'relay', BATCH: '2' });
    await restarted.ready;
    await until('unpublished rows', unpublished, (n) => n === 0);
    expect(await streamCount()).toBe(rows.length);
    const ids = await streamEventIds();
    expect(ids).toHaveLength(2_000);
    expect(new Set(ids).size).toBe(2_000);
  });

  it('(b) consumer killed after its commit but before its ack: the side effect happened exactly once', async () => {
    // Batch messages of at most 100 events; the consumer applies two messages per transaction.
    await writeTestEvents(pool, 1_000, { chunk: 100 });
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".outbox`);
    const relay = inProcessRelay();
    await until('stream messages', streamCount, (n) => n === rows[0]!.n);
    await relay.stop();

    const crashing = worker({ ROLE: 'consumer', CRASH: 'after-commit', BATCH: '2', ACK_WAIT_MS: '1000' });
    expect(await crashing.exited).toBe('SIGKILL');
    const afterCrash = await effects();
    expect(afterCrash.total).toBeGreaterThan(0);
    expect(afterCrash.total).toBeLessThan(1_000);

    const restarted = worker({ ROLE: 'consumer', BATCH: '2', ACK_WAIT_MS: '1000' });
    await restarted.ready;
    await until('effects', effects, (e) => e.total >= 1_000);
    await sleep(1_500); // past the ack wait: a redelivery of the crashed batch would show now
    expect(await effects()).toEqual({ total: 1_000, distinct: 1_000 });
    // One inbox row per delivered message: a batch message's events are applied together.
    const inbox = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".inbox`);
    expect(inbox.rows[0]!.n).toBe(rows[0]!.n);
  });

  it('(c) nats-server stopped while events are published and restarted: nothing lost, nothing applied twice', async () => {
    const relay = inProcessRelay();
    const { stop } = await inProcessConsumer('c');
    const writing = (async () => {
      for (let i = 0; i < 30; i++) {
        await writeTestEvents(pool, 100, { payload: (n) => ({ i: i * 100 + n }) });
        await sleep(60);
      }
    })();
    await sleep(600);
    await nats.stop();
    await sleep(1_500);
    await nats.resume();
    await writing;
    await until('unpublished rows', unpublished, (n) => n === 0, 60_000);
    await until('effects', effects, (e) => e.total >= 3_000, 60_000);
    await sleep(500);
    expect(await effects()).toEqual({ total: 3_000, distinct: 3_000 });
    expect(await streamEvents()).toBe(3_000);
    await relay.stop();
    await stop();
  });

  it('(d) a poison message is dead-lettered after the configured attempts and re-driven once fixed', async () => {
    let fixed = false;
    // One event per transaction, so one message per event: the poison one goes to the dead letters alone.
    await writeTestEvents(pool, 10, { chunk: 1, payload: (i) => ({ i, poison: i === 4 }) });
    const relay = inProcessRelay();
    const { consumer, stop } = await inProcessConsumer('d', {
      maxDeliveries: 3,
      handler: (ids) => {
        if (!fixed && ids.includes('poison')) throw new Error('payload 4 cannot be applied');
      },
    });
    const dead = await until(
      'dead letters',
      async () => (await pool.query(`SELECT event_id, deliveries, last_error, subject FROM "${schema}".dead_letter`)).rows,
      (rows) => rows.length === 1,
    );
    expect(dead[0]).toMatchObject({ deliveries: 3, last_error: 'payload 4 cannot be applied', subject: 'olist.sales.test-event.v1' });
    await until('effects', effects, (e) => e.total === 9);

    fixed = true;
    await pool.query(`UPDATE "${schema}".dead_letter SET redrive_requested_at = now()`);
    expect(await consumer.redriveRequested()).toBe(1);
    expect(await effects()).toEqual({ total: 10, distinct: 10 });
    const row = (await pool.query(`SELECT redriven_at FROM "${schema}".dead_letter`)).rows[0];
    expect(row.redriven_at).toBeInstanceOf(Date);
    expect(await consumer.redriveRequested()).toBe(0);
    await relay.stop();
    await stop();
  });

  it('(d2) a message that fails for a while is retried in place, the ones after it waiting: effects keep the stream order', async () => {
    // One message per event; the 6th fails twice before it goes through.
    await writeTestEvents(pool, 20, { chunk: 1, payload: (i) => ({ i, poison: i === 5 }) });
    inProcessRelay();
    let failures = 0;
    await inProcessConsumer('d2', {
      maxDeliveries: 5,
      handler: (ids) => {
        if (ids.includes('poison') && failures < 2) {
          failures++;
          throw new Error('payload 5 not yet applicable');
        }
      },
    });
    await until('effects', effects, (e) => e.total === 20);
    const applied = (await pool.query<{ event_id: string }>(`SELECT event_id FROM "${schema}".effects ORDER BY n`)).rows.map((r) => r.event_id);
    expect(applied).toEqual(await streamEventIds());
    expect(failures).toBe(2);
    expect((await pool.query(`SELECT count(*)::int AS n FROM "${schema}".dead_letter`)).rows[0]).toEqual({ n: 0 });
  });

  it('(d3) keeps what it has delivered but not applied bounded by bytes, however much the stream holds', async () => {
    // 120 messages of about 100 kB each, applied slowly: a consumer that pulled ahead of its
    // handler would hold all of them (and a service with several such consumers would fall
    // behind on its socket until the server drops it).
    await writeTestEvents(pool, 120, { chunk: 1, payload: (i) => ({ i, pad: 'x'.repeat(100_000) }) });
    inProcessRelay();
    await until('published', unpublished, (n) => n === 0);
    await inProcessConsumer('d3', { handler: () => new Promise((r) => setTimeout(r, 300)) });
    let most = 0;
    const sample = async () => {
      const info = await jsm.consumers.info(topology.stream('sales'), 'test-consumer');
      most = Math.max(most, info.num_ack_pending);
      return (await effects()).total;
    };
    await until('effects', sample, (n) => n === 120, 60_000);
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(100);
  });

  it('(d5) a held-back consumer pulls nothing until it is let go, then applies everything in stream order', async () => {
    await writeTestEvents(pool, 30, { chunk: 1 });
    inProcessRelay();
    await until('published', unpublished, (n) => n === 0);
    let held = true;
    let asked = 0;
    await inProcessConsumer('d5', {
      holdBack: () => {
        asked++;
        return held;
      },
    });
    await until('asked', async () => asked, (n) => n >= 6);
    expect((await effects()).total).toBe(0);
    const info = await jsm.consumers.info(topology.stream('sales'), 'test-consumer');
    expect([info.num_pending, info.num_ack_pending]).toEqual([30, 0]);
    held = false;
    await until('effects', effects, (e) => e.total === 30);
    const applied = (await pool.query<{ event_id: string }>(`SELECT event_id FROM "${schema}".effects ORDER BY n`)).rows.map((r) => r.event_id);
    expect(applied).toEqual(await streamEventIds());
  });

  it('(d4) an event whose content-derived id comes back in a later message is applied again (A → B → A)', async () => {
    const outbox = new Outbox(schema);
    const transactor = new PgTransactor(pool);
    const event = (id: string, value: string) => ({
      id, type: 'sales.test-event', version: 1, subject: 'olist.sales.test-event.v1', aggregateId: 'agg-x',
      occurredAt: new Date(Date.UTC(2018, 0, 1)), payload: { value },
    });
    const [a, b] = [randomUUID(), randomUUID()];
    for (const e of [event(a, 'A'), event(b, 'B'), event(a, 'A')]) await transactor.transaction((tx) => outbox.append(tx, [e]));
    inProcessRelay();
    await inProcessConsumer('d4');
    await until('effects', effects, (e) => e.total === 3);
    const applied = (await pool.query<{ event_id: string }>(`SELECT event_id FROM "${schema}".effects ORDER BY n`)).rows.map((r) => r.event_id);
    expect(applied).toEqual([a, b, a]);
    await sleep(500);
    expect((await effects()).total).toBe(3);
  });

  it('(e) a rolled-back transaction publishes nothing', async () => {
    const relay = inProcessRelay();
    const outbox = new Outbox(schema);
    await expect(
      new PgTransactor(pool).transaction(async (tx) => {
        await outbox.append(tx, [{ type: 'sales.test-event', version: 1, subject: 'olist.sales.test-event.v1', aggregateId: 'x', occurredAt: new Date(), payload: {} }]);
        throw new Error('aggregate rule broken');
      }),
    ).rejects.toThrow('aggregate rule broken');
    await writeTestEvents(pool, 1);
    await until('stream messages', streamCount, (n) => n >= 1);
    await sleep(500);
    expect(await streamCount()).toBe(1);
    expect((await pool.query(`SELECT count(*)::int AS n FROM "${schema}".outbox`)).rows[0].n).toBe(1);
    await relay.stop();
  });

  it('(e2) stores outbox envelopes compressed with LZ4 where the server has it, and reads them back whole', async () => {
    const lz4 = (await pool.query(`SELECT 'lz4' = ANY(enumvals) AS on FROM pg_settings WHERE name = 'default_toast_compression'`)).rows[0].on as boolean;
    const column = (await pool.query(`SELECT attcompression AS c FROM pg_attribute WHERE attrelid = '"${schema}".outbox'::regclass AND attname = 'envelope'`)).rows[0].c as string;
    expect(column).toBe(lz4 ? 'l' : '');
    if (!lz4) return;
    const payload = { text: 'olist '.repeat(2_000) };
    await new PgTransactor(pool).transaction((tx) =>
      new Outbox(schema).append(tx, [{ type: 'sales.test-event', version: 1, subject: 'olist.sales.test-event.v1', aggregateId: 'lz4', occurredAt: new Date(), payload }]),
    );
    const stored = (
      await pool.query(`SELECT pg_column_compression(envelope) AS method, envelope::text AS body FROM "${schema}".outbox WHERE aggregate_id = 'lz4'`)
    ).rows[0] as { method: string; body: string };
    expect(stored.method).toBe('lz4');
    expect(JSON.parse(stored.body)[0].payload).toEqual(payload);
  });

  it('(f) two instances of one consumer split 10,000 events with none processed twice', async () => {
    const [one, two] = await Promise.all([inProcessConsumer('one'), inProcessConsumer('two')]);
    await writeTestEvents(pool, 10_000, { chunk: 2_000 });
    const relay = inProcessRelay();
    await until('effects', effects, (e) => e.total >= 10_000, 60_000);
    await sleep(500);
    expect(await effects()).toEqual({ total: 10_000, distinct: 10_000 });
    const split = await pool.query<{ instance: string; n: number }>(`SELECT instance, count(*)::int AS n FROM "${schema}".effects GROUP BY instance ORDER BY instance`);
    expect(split.rows.map((r) => r.instance)).toEqual(['one', 'two']);
    for (const r of split.rows) expect(r.n).toBeGreaterThan(0);
    await relay.stop();
    await Promise.all([one.stop(), two.stop()]);
  });

  const PING_V1: EventContract = {
    context: 'sales',
    name: 'ping',
    type: 'sales.ping',
    version: 1,
    subject: 'olist.sales.ping.v1',
    compatibility: 'BACKWARD',
    description: 'test event, first shape',
    schema: { type: 'object', additionalProperties: false, required: ['n'], properties: { n: { type: 'integer' } } },
    example: { n: 1 },
  };
  const PING_V2: EventContract = {
    ...PING_V1,
    version: 2,
    subject: 'olist.sales.ping.v2',
    description: 'test event, with a label',
    schema: { type: 'object', additionalProperties: false, required: ['n', 'label'], properties: { n: { type: 'integer' }, label: { type: 'string' } } },
    example: { n: 1, label: 'one' },
    upcastFrom: (v1) => ({ ...(v1 as { n: number }), label: `#${(v1 as { n: number }).n}` }),
  };

  it('(g) refuses an event that breaks its contract, upcasts old versions on read, and carries correlation and causation into the events a handler causes', async () => {
    const registry = new ContractRegistry([PING_V1, PING_V2]);
    const outbox = new Outbox(schema, registry);
    const transactor = new PgTransactor(pool);
    const ping = (version: number, payload: unknown) => ({ type: 'sales.ping', version, subject: `olist.sales.ping.v${version}`, aggregateId: 'p', occurredAt: new Date(), payload });
    await expect(transactor.transaction((tx) => outbox.append(tx, [ping(1, { n: 'seven' })]))).rejects.toThrow(ContractViolationError);
    await expect(transactor.transaction((tx) => outbox.append(tx, [ping(1, { n: 'seven' })]))).rejects.toThrow('sales.ping v1 does not match its contract: $.n');
    await expect(transactor.transaction((tx) => outbox.append(tx, [{ ...ping(1, {}), type: 'sales.unknown' }]))).rejects.toThrow(/sales\.unknown/);

    const [written] = await transactor.transaction((tx) => outbox.append(tx, [{ ...ping(1, { n: 7 }), correlationId: 'corr-g' }]));
    inProcessRelay();
    const seen: unknown[] = [];
    const conn = await connect({ servers: nats.url });
    const consumer = new DurableConsumer(
      {
        name: 'reactor',
        stream: 'sales',
        subjects: ['olist.sales.ping.*'],
        handler: async (messages, tx) => {
          for (const m of messages) {
            if (m.json<{ version: number }>().version !== 1) continue; // react to the original only
            seen.push(m.envelope().payload);
            // The reaction: an event caused by the one being handled.
            await outbox.append(tx, [ping(2, { n: 8, label: 'reaction' })]);
          }
        },
      },
      { schema, transactor, js: jetstream(conn), jsm: await jetstreamManager(conn), topology, upcaster: registry },
    );
    stoppers.push(async () => (await consumer.stop(), await conn.close()));
    await consumer.ensure();
    consumer.start();
    await until('reactions', async () => (await pool.query(`SELECT envelope FROM "${schema}".outbox_events WHERE version = 2`)).rows, (rows) => rows.length >= 1);
    expect(seen[0]).toEqual({ n: 7, label: '#7' });
    const { rows } = await pool.query(`SELECT envelope FROM "${schema}".outbox_events WHERE version = 2`);
    expect(rows[0].envelope).toMatchObject({ correlationId: 'corr-g', causationId: written!.id, type: 'sales.ping', version: 2 });
  });

  it('(h) two relays of one service: one leads, the other takes over when it stops, nothing is published twice', async () => {
    const first = inProcessRelay();
    await until('a leader', async () => first.isLeader, (leads) => leads);
    const second = inProcessRelay();
    await writeTestEvents(pool, 3_000);
    await until('unpublished rows', unpublished, (n) => n === 0);
    expect([first.isLeader, second.isLeader]).toEqual([true, false]);
    await first.stop();
    await writeTestEvents(pool, 2_000);
    await until('unpublished rows', unpublished, (n) => n === 0, 15_000);
    expect(second.isLeader).toBe(true);
    const ids = await streamEventIds();
    expect(ids).toHaveLength(5_000);
    expect(new Set(ids).size).toBe(5_000);
  });

  it('(i) publishes in outbox position order past every power of ten', async () => {
    await writeTestEvents(pool, 12_000, { chunk: 2_000 });
    inProcessRelay();
    await until('unpublished rows', unpublished, (n) => n === 0, 30_000);
    const consumer = await jsm.jetstream().consumers.get(topology.stream('sales'));
    const ids: string[] = [];
    const batch = await consumer.fetch({ max_messages: 12_000, expires: 5_000 });
    for await (const m of batch) {
      ids.push(m.headers?.get('Nats-Msg-Id') ?? '');
      if (ids.length === 12_000) break;
    }
    const { rows } = await pool.query<{ id: string }>(`SELECT id::text FROM "${schema}".outbox ORDER BY position`);
    expect(ids).toEqual(rows.map((r) => r.id));
  });

  it('(j) rewrites the envelopes of the subjects it has a transform for, leaves the others as stored, and holds a row back when its transform fails', async () => {
    const outbox = new Outbox(schema);
    const event = (subject: string, secret: string) => ({ type: 'sales.test-event', version: 1, subject, aggregateId: 'x', occurredAt: new Date(), payload: { secret } });
    await new PgTransactor(pool).transaction((tx) =>
      outbox.append(tx, [event('olist.sales.sealed-event.v1', 'clear text one'), event('olist.sales.test-event.v1', 'clear text two')]),
    );
    const stored = (await pool.query<{ body: string }>(`SELECT envelope::text AS body FROM "${schema}".outbox ORDER BY position`)).rows.map((r) => r.body);
    const warnings: string[] = [];
    const relay = (transform: (envelope: string) => string) =>
      new OutboxRelay({
        schema,
        database: { connectionString: db.url },
        js: jetstream(nc),
        topology,
        pollIntervalMs: 200,
        transforms: new Map([['olist.sales.sealed-event.v1', transform]]),
        logger: { log: () => undefined, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
      });

    const failing = relay((body) => JSON.parse(`${body}}`));
    failing.start();
    await until('a failed round', async () => warnings.length, (n) => n > 0);
    await failing.stop();
    expect(await streamCount()).toBe(0);
    expect(await unpublished()).toBe(2);
    expect(warnings.join('\n')).toContain('payload transform of olist.sales.sealed-event.v1 failed');
    expect(warnings.join('\n')).not.toContain('clear text');

    const sealing = relay((body) => body.replace('clear text one', 'SEALED'));
    sealing.start();
    stoppers.push(() => sealing.stop());
    await until('unpublished rows', unpublished, (n) => n === 0);
    const consumer = await jsm.jetstream().consumers.get(topology.stream('sales'));
    const texts: string[] = [];
    for await (const m of await consumer.fetch({ max_messages: 2, expires: 5_000 })) {
      texts.push(m.string());
      if (texts.length === 2) break;
    }
    expect(texts).toEqual([stored[0]!.replace('clear text one', 'SEALED'), stored[1]]);
  });
});
