import { ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { Pool } from 'pg';
import { DurableConsumer, PgTransactor, SqlTx, Topology } from '@olist/messaging';
import { recordEffects } from '@olist/testing';
import { wallClockMs } from './stats';

export const CONSUMER_NAME = 'bench-consumer';

/** What the consuming side needs to know; plain data, so that it can cross a process boundary. */
export interface ConsumerConfig {
  readonly databaseUrl: string;
  readonly natsUrl: string;
  readonly schema: string;
  readonly prefix: string;
  readonly batchSize: number;
  /** Events after which the consumer reports that it is done. */
  readonly expected: number;
}

/** The durable consumer of a run, in this process or in a process of its own. */
export interface ConsumerSide {
  /** Distinct events applied so far. */
  readonly applied: number;
  /** Resolves with the wall-clock time of the commit that applied the last of the `expected` events. */
  readonly done: Promise<number>;
  /** Consumer commit time of every applied event, by event id. */
  commitTimes(): Promise<Map<string, number>>;
  stop(): Promise<void>;
}

/** Records the consumer commit time of each event: taken right after its batch's transaction committed. */
export class CommitClock {
  readonly times = new Map<string, number>();
  private resolveDone: (at: number) => void = () => undefined;
  readonly done = new Promise<number>((resolve) => (this.resolveDone = resolve));

  constructor(private readonly expected: number) {}

  committed(eventIds: readonly string[]): void {
    const now = wallClockMs();
    for (const id of eventIds) if (!this.times.has(id)) this.times.set(id, now);
    if (this.times.size >= this.expected) this.resolveDone(now);
  }
}

/**
 * The bench's DurableConsumer: inbox-recording, its handler writing the side effect with one
 * multi-row INSERT per batch; the `afterCommit` hook feeds the commit clock.
 */
export function benchConsumer(config: ConsumerConfig, pool: Pool, js: JetStreamClient, jsm: JetStreamManager, clock: CommitClock): DurableConsumer<SqlTx> {
  const { schema } = config;
  return new DurableConsumer<SqlTx>(
    {
      name: CONSUMER_NAME,
      stream: 'sales',
      subjects: ['olist.sales.>'],
      batchSize: config.batchSize,
      handler: (messages, tx) => recordEffects(tx, schema, messages.map((m) => m.eventId), CONSUMER_NAME),
    },
    {
      schema,
      transactor: new PgTransactor(pool),
      js,
      jsm,
      topology: new Topology(config.prefix),
      hooks: { afterCommit: (messages) => clock.committed(messages.map((m) => m.eventId)) },
    },
  );
}

/** The consumer in the bench's own process, sharing its NATS connection and pool (as in one service). */
export class InProcessConsumer implements ConsumerSide {
  private readonly clock: CommitClock;
  private readonly consumer: DurableConsumer<SqlTx>;

  constructor(config: ConsumerConfig, pool: Pool, js: JetStreamClient, jsm: JetStreamManager) {
    this.clock = new CommitClock(config.expected);
    this.consumer = benchConsumer(config, pool, js, jsm, this.clock);
  }

  async start(): Promise<void> {
    await this.consumer.ensure();
    this.consumer.start();
  }

  get applied(): number {
    return this.clock.times.size;
  }

  get done(): Promise<number> {
    return this.clock.done;
  }

  async commitTimes(): Promise<Map<string, number>> {
    return this.clock.times;
  }

  stop(): Promise<void> {
    return this.consumer.stop();
  }
}

/** Messages from the consumer process. */
export type ConsumerReport =
  | { readonly type: 'ready' }
  | { readonly type: 'progress'; readonly applied: number }
  | { readonly type: 'done'; readonly applied: number; readonly at: number }
  | { readonly type: 'times'; readonly ids: string[]; readonly times: Float64Array }
  | { readonly type: 'error'; readonly message: string };

/** Messages to the consumer process. */
export type ConsumerCommand = { readonly type: 'times' } | { readonly type: 'stop' };

export const CONSUMER_CONFIG_ENV = 'OLIST_BENCH_CONSUMER';

/**
 * The consumer in a Node process of its own (`consumer.process.js`), like a consuming service
 * next to the publishing one; it reports progress and, on request, its commit times over IPC.
 */
export class ChildProcessConsumer implements ConsumerSide {
  applied = 0;
  readonly done: Promise<number>;
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;
  private failure?: Error;
  private readonly listeners = new Set<(report: ConsumerReport) => void>();

  private constructor(config: ConsumerConfig) {
    this.child = fork(path.join(__dirname, 'consumer.process.js'), [], {
      env: { ...process.env, [CONSUMER_CONFIG_ENV]: JSON.stringify(config) },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    this.child.on('message', (report: ConsumerReport) => {
      if (report.type === 'progress' || report.type === 'done') this.applied = report.applied;
      if (report.type === 'error') this.failure ??= new Error(`consumer process: ${report.message}`);
      for (const listener of this.listeners) listener(report);
    });
    void this.exited.then(() => {
      this.failure ??= new Error(`consumer process exited (${this.child.exitCode ?? this.child.signalCode})`);
      for (const listener of this.listeners) listener({ type: 'error', message: this.failure.message });
    });
    this.done = this.next('done').then((report) => report.at);
    this.done.catch(() => undefined);
  }

  /** Forks the process and resolves once its durable consumer runs. */
  static async start(config: ConsumerConfig): Promise<ChildProcessConsumer> {
    const side = new ChildProcessConsumer(config);
    try {
      await side.next('ready');
    } catch (error) {
      await side.stop();
      throw error;
    }
    return side;
  }

  private next<T extends ConsumerReport['type']>(type: T): Promise<Extract<ConsumerReport, { type: T }>> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      const listener = (report: ConsumerReport) => {
        if (report.type === type) {
          this.listeners.delete(listener);
          resolve(report as Extract<ConsumerReport, { type: T }>);
        } else if (report.type === 'error') {
          this.listeners.delete(listener);
          reject(this.failure ?? new Error(report.message));
        }
      };
      this.listeners.add(listener);
    });
  }

  async commitTimes(): Promise<Map<string, number>> {
    const reply = this.next('times');
    this.child.send({ type: 'times' } satisfies ConsumerCommand);
    const { ids, times } = await reply;
    return new Map(ids.map((id, i) => [id, times[i] as number]));
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (this.child.connected) this.child.send({ type: 'stop' } satisfies ConsumerCommand);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}
