import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { Pool } from 'pg';
import { ensureStreams, NewEvent, Outbox, OutboxRelay, PgTransactor, Topology } from '@olist/messaging';
import { createMessagingFixture } from '@olist/testing';
import { benchEvent } from './bench-events';
import { ChildProcessConsumer, ConsumerConfig, ConsumerSide, InProcessConsumer } from './consumer-side';
import { wallClockMs } from './stats';

export interface PipelineSettings {
  readonly databaseUrl: string;
  readonly natsUrl: string;
  readonly schema: string;
  readonly topology: Topology;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  /** Distinguishes this run's aggregate ids. */
  readonly run: string;
  readonly relayBatch: number;
  readonly relayWindow: number;
  readonly relayPollMs: number;
  readonly consumerBatch: number;
  /** Run the consumer in a Node process of its own. */
  readonly consumerProcess: boolean;
  /** Events the run writes (the consumer is done when it applied them all). */
  readonly events: number;
}

export interface WriteResult {
  readonly startedAt: number;
  readonly finishedAt: number;
  /** Outbox commit time of every event, by event id (paced writes only). */
  readonly committed?: ReadonlyMap<string, number>;
}

export interface PipelineCheck {
  readonly unpublished: number;
  readonly streamMessages: number;
  /** Outbox rows (one message each) and the events they hold. */
  readonly outboxRows: number;
  readonly outboxEvents: number;
  readonly effects: number;
  readonly distinctEffects: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The event path of a run: writers appending to the outbox in their own transactions and the
 * OutboxRelay publishing the outbox to the stream (this process, as in the publishing service),
 * and a DurableConsumer applying the stream with its inbox and a side effect (here or in a
 * process of its own). Every stage is timed through the runtime's own hooks: the relay's
 * `afterPublish` (PubAcks of a round) and the consumer's `afterCommit` (right after the batch's
 * transaction committed).
 */
export class Pipeline {
  published = 0;
  lastPublishAt = Number.NaN;
  private readonly outbox: Outbox;
  private readonly transactor: PgTransactor;
  private readonly relay: OutboxRelay;
  private consumer?: ConsumerSide;
  private stopped?: Promise<void>;

  private constructor(
    private readonly settings: PipelineSettings,
    private readonly pool: Pool,
  ) {
    const { schema, topology, js } = settings;
    this.outbox = new Outbox(schema);
    this.transactor = new PgTransactor(pool);
    this.relay = new OutboxRelay({
      schema,
      database: { connectionString: settings.databaseUrl },
      js,
      topology,
      batchSize: settings.relayBatch,
      window: settings.relayWindow,
      pollIntervalMs: settings.relayPollMs,
      hooks: {
        afterPublish: (positions) => {
          this.published += positions.length;
          this.lastPublishAt = wallClockMs();
        },
      },
    });
  }

  /** Creates the schema and the stream, starts the consumer, then the relay. */
  static async start(settings: PipelineSettings, register: (stop: () => Promise<void>) => void): Promise<Pipeline> {
    const pool = await createMessagingFixture(settings.databaseUrl, settings.schema);
    const pipeline = new Pipeline(settings, pool);
    register(() => pipeline.stop());
    await ensureStreams(settings.jsm, settings.topology, ['sales']);
    const config: ConsumerConfig = {
      databaseUrl: settings.databaseUrl,
      natsUrl: settings.natsUrl,
      schema: settings.schema,
      prefix: settings.topology.prefix,
      batchSize: settings.consumerBatch,
      expected: settings.events,
    };
    if (settings.consumerProcess) {
      pipeline.consumer = await ChildProcessConsumer.start(config);
    } else {
      const consumer = new InProcessConsumer(config, pool, settings.js, settings.jsm);
      pipeline.consumer = consumer;
      await consumer.start();
    }
    pipeline.relay.start();
    const deadline = Date.now() + 10_000;
    while (!pipeline.relay.isLeader) {
      if (Date.now() > deadline) throw new Error(`the relay of ${settings.schema} did not become leader within 10 s`);
      await sleep(10);
    }
    return pipeline;
  }

  private get consuming(): ConsumerSide {
    if (!this.consumer) throw new Error('the pipeline has not started');
    return this.consumer;
  }

  commitTimes(): Promise<Map<string, number>> {
    return this.consuming.commitTimes();
  }

  private append(events: readonly NewEvent[]) {
    return this.transactor.transaction((tx) => this.outbox.append(tx, events));
  }

  private events(from: number, n: number): NewEvent[] {
    return Array.from({ length: n }, (_, k) => benchEvent(this.settings.run, from + k));
  }

  /**
   * Appends `count` events as fast as `writers` concurrent writers can (each a sequence of
   * transactions of `chunk` events, taking the next chunk when its transaction committed).
   */
  async saturate(count: number, chunk: number, writers: number): Promise<WriteResult> {
    let next = 0;
    const writer = async () => {
      while (next < count) {
        const from = next;
        next = Math.min(count, next + chunk);
        await this.append(this.events(from, next - from));
      }
    };
    const startedAt = wallClockMs();
    await Promise.all(Array.from({ length: writers }, writer));
    return { startedAt, finishedAt: wallClockMs() };
  }

  /**
   * Appends `count` events, `perTick` in one transaction every `tickMs` on a fixed schedule (a
   * late transaction is followed at once by the next one due, so the mean rate holds), recording
   * each event's commit time as seen by the writer.
   */
  async paced(count: number, perTick: number, tickMs: number): Promise<WriteResult> {
    const committed = new Map<string, number>();
    const startedAt = wallClockMs();
    for (let tick = 0, i = 0; i < count; tick++) {
      const wait = startedAt + tick * tickMs - wallClockMs();
      if (wait > 0) await sleep(Math.ceil(wait));
      const n = Math.min(perTick, count - i);
      const envelopes = await this.append(this.events(i, n));
      const at = wallClockMs();
      for (const e of envelopes) committed.set(e.id, at);
      i += n;
    }
    return { startedAt, finishedAt: wallClockMs(), committed };
  }

  /**
   * Resolves with the consumer commit time of the last event once every event of the run was
   * applied; fails when nothing moves for `stallMs`.
   */
  async waitApplied(stallMs: number): Promise<number> {
    const consumer = this.consuming;
    let doneAt: number | undefined;
    const finished = consumer.done.then((at) => (doneAt = at));
    let seen = -1;
    let movedAt = Date.now();
    while (doneAt === undefined) {
      const progress = this.published + consumer.applied;
      if (progress !== seen) {
        seen = progress;
        movedAt = Date.now();
      } else if (Date.now() - movedAt > stallMs) {
        throw new Error(`${this.settings.schema}: stalled for ${stallMs} ms with ${this.published} published and ${consumer.applied} of ${this.settings.events} applied`);
      }
      await Promise.race([finished, sleep(50)]);
    }
    return doneAt;
  }

  /**
   * What the tables and the stream hold: each event published once (in one message per outbox
   * row: a batch of events of one transaction) and applied once. The relay
   * marks a batch after its PubAcks, so the consumer may be done first: give the marks a moment.
   */
  async check(): Promise<PipelineCheck> {
    const s = `"${this.settings.schema}"`;
    const unpublished = async () => (await this.pool.query<{ n: number }>(`SELECT coalesce(sum(events), 0)::int AS n FROM ${s}.outbox WHERE published_at IS NULL`)).rows[0]?.n;
    for (const deadline = Date.now() + 10_000; (await unpublished()) !== 0 && Date.now() < deadline; ) await sleep(50);
    const [outbox, rows, effects, info] = await Promise.all([
      this.pool.query<{ n: number }>(`SELECT coalesce(sum(events), 0)::int AS n FROM ${s}.outbox WHERE published_at IS NULL`),
      this.pool.query<{ rows: number; events: number }>(`SELECT count(*)::int AS rows, coalesce(sum(events), 0)::int AS events FROM ${s}.outbox`),
      this.pool.query<{ total: number; distinct: number }>(`SELECT count(*)::int AS total, count(DISTINCT event_id)::int AS distinct FROM ${s}.effects`),
      this.settings.jsm.streams.info(this.settings.topology.stream('sales')),
    ]);
    return {
      unpublished: outbox.rows[0]?.n ?? -1,
      streamMessages: info.state.messages,
      outboxRows: rows.rows[0]?.rows ?? -1,
      outboxEvents: rows.rows[0]?.events ?? -1,
      effects: effects.rows[0]?.total ?? -1,
      distinctEffects: effects.rows[0]?.distinct ?? -1,
    };
  }

  /** Stops relay and consumer and closes the pool (once; safe to call again). */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      await Promise.all([this.relay.stop(), this.consumer?.stop()]).catch(() => undefined);
      await this.pool.end();
    })();
    return this.stopped;
  }
}
