import { headers as natsHeaders } from '@nats-io/nats-core';
import type { JetStreamClient } from '@nats-io/jetstream';
import { Client, ClientConfig } from 'pg';
import type { MessagingMetrics } from '../messaging.metrics';
import { quoteIdent } from '../sql';
import type { Topology } from '../topology';
import { outboxChannel } from './outbox';
import { HEADER } from '../headers';

export interface RelayLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface OutboxRelayOptions {
  readonly schema: string;
  /** Connection for the relay's own session (LISTEN and the leadership lock need one). */
  readonly database: ClientConfig;
  readonly js: JetStreamClient;
  readonly topology: Topology;
  /** Rows read per round. */
  readonly batchSize?: number;
  /** Publishes in flight at once. */
  readonly window?: number;
  /** Poll even without a notification this often (a missed NOTIFY costs at most this). */
  readonly pollIntervalMs?: number;
  readonly publishTimeoutMs?: number;
  /** Published rows older than this are deleted (0 keeps them). */
  readonly retentionMs?: number;
  readonly metrics?: MessagingMetrics;
  readonly logger?: RelayLogger;
  /** Test seams: called after the PubAcks of a round and before the rows are marked. */
  readonly hooks?: { afterPublish?: (positions: readonly string[]) => void | Promise<void> };
}

interface OutboxRow {
  position: string;
  id: string;
  subject: string;
  correlation_id: string;
  causation_id: string | null;
  type: string;
  body: string;
  age_ms: number;
}

const silent: RelayLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Publishes a service's outbox to JetStream in commit order. One instance per service holds the
 * leadership (a session advisory lock), the others wait; a crashed leader's lock goes with its
 * connection. Rows are read in position order, published through a bounded window of in-flight
 * publishes with `Nats-Msg-Id` = event id, and marked published only after their PubAck, so a
 * crash between publish and mark re-publishes and JetStream's duplicate window drops the copy.
 */
export class OutboxRelay {
  private readonly table: string;
  private readonly batchSize: number;
  private readonly window: number;
  private readonly log: RelayLogger;
  private client?: Client;
  private running?: Promise<void>;
  private stopping = false;
  private wake?: () => void;
  private notified = false;
  private leader = false;
  private lastCleanup = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.table = `${quoteIdent(options.schema)}.outbox`;
    this.batchSize = options.batchSize ?? 2_000;
    this.window = options.window ?? 1_024;
    this.log = options.logger ?? silent;
  }

  get isLeader(): boolean {
    return this.leader;
  }

  start(): void {
    this.stopping = false;
    this.running ??= this.loop().finally(() => (this.running = undefined));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
  }

  /** Publishes what is in the outbox now; resolves with the number of events published. */
  async drainOnce(): Promise<number> {
    const client = this.client;
    if (!client) throw new Error('relay is not connected');
    const { rows } = await client.query<OutboxRow>(
      `SELECT position::text AS position, id::text AS id, subject, correlation_id, causation_id, type,
              envelope::text AS body, (extract(epoch FROM clock_timestamp() - created_at) * 1000)::float8 AS age_ms
         FROM ${this.table} WHERE published_at IS NULL ORDER BY position LIMIT $1`,
      [this.batchSize],
    );
    if (rows.length === 0) return 0;
    const published = await this.publish(rows);
    if (published.length > 0) {
      await this.options.hooks?.afterPublish?.(published);
      await client.query(`UPDATE ${this.table} SET published_at = clock_timestamp() WHERE position = ANY($1::bigint[])`, [
        published,
      ]);
    }
    if (published.length < rows.length) throw new Error(`${rows.length - published.length} publishes got no PubAck`);
    return published.length;
  }

  private async publish(rows: readonly OutboxRow[]): Promise<string[]> {
    const { js, topology, metrics } = this.options;
    const timeout = this.options.publishTimeoutMs ?? 5_000;
    const acked: boolean[] = new Array(rows.length).fill(false);
    let next = 0;
    let failure: unknown;
    // A fixed number of lanes, each taking the next row in order: at most `window` in flight.
    const lane = async () => {
      while (next < rows.length && failure === undefined) {
        const i = next++;
        const row = rows[i] as OutboxRow;
        const h = natsHeaders();
        h.set(HEADER.eventId, row.id);
        h.set(HEADER.eventType, row.type);
        h.set(HEADER.correlationId, row.correlation_id);
        if (row.causation_id) h.set(HEADER.causationId, row.causation_id);
        try {
          await js.publish(topology.subject(row.subject), row.body, { msgID: row.id, headers: h, timeout });
          acked[i] = true;
        } catch (error) {
          failure ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.window, rows.length) }, lane));
    const done = rows.filter((_, i) => acked[i]);
    if (metrics && done.length > 0) {
      const stream = topology.contextOf(rows[0]?.subject ?? '') ?? 'unknown';
      metrics.published.inc({ stream }, done.length);
      for (const row of done) metrics.relayLatency.observe(row.age_ms / 1000);
    }
    if (failure !== undefined) {
      metrics?.publishFailures.inc({ stream: 'any' }, rows.length - done.length);
      this.log.warn(`outbox ${this.options.schema}: publish failed (${describe(failure)}); will retry`);
    }
    return done.map((r) => r.position);
  }

  private async loop(): Promise<void> {
    let backoff = 250;
    while (!this.stopping) {
      try {
        await this.connect();
        if (!(await this.acquireLeadership())) {
          await this.sleepUntilWoken(2_000);
          continue;
        }
        backoff = 250;
        const published = await this.drainOnce();
        await this.cleanup();
        if (published < this.batchSize) await this.sleepUntilWoken(this.options.pollIntervalMs ?? 1_000);
      } catch (error) {
        if (this.stopping) break;
        this.log.warn(`outbox ${this.options.schema}: ${describe(error)}; retrying in ${backoff} ms`);
        if (!this.client || (error as { code?: string }).code?.startsWith('08') || isConnectionError(error)) {
          await this.disconnect();
        }
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
    await this.disconnect();
  }

  private async connect(): Promise<void> {
    if (this.client) return;
    const client = new Client({ ...this.options.database, application_name: `olist-relay-${this.options.schema}` });
    client.on('error', () => void this.disconnect());
    client.on('notification', () => {
      this.notified = true;
      this.wake?.();
    });
    await client.connect();
    await client.query(`LISTEN ${quoteIdent(outboxChannel(this.options.schema))}`);
    this.client = client;
  }

  private async acquireLeadership(): Promise<boolean> {
    if (this.leader) return true;
    const { rows } = await (this.client as Client).query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock(hashtext($1)) AS locked',
      [`olist.outbox.${this.options.schema}`],
    );
    this.leader = rows[0]?.locked === true;
    if (this.leader) this.log.log(`outbox ${this.options.schema}: relay leadership acquired`);
    return this.leader;
  }

  private async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.leader = false;
    if (client) await client.end().catch(() => undefined);
  }

  private async sleepUntilWoken(ms: number): Promise<void> {
    if (this.notified) {
      this.notified = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
    this.wake = undefined;
    this.notified = false;
  }

  private async cleanup(): Promise<void> {
    const retention = this.options.retentionMs ?? 0;
    if (retention <= 0 || Date.now() - this.lastCleanup < 60_000 || !this.client) return;
    this.lastCleanup = Date.now();
    await this.client.query(
      `DELETE FROM ${this.table} WHERE published_at IS NOT NULL AND published_at < clock_timestamp() - make_interval(secs => $1)`,
      [retention / 1000],
    );
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isConnectionError(error: unknown): boolean {
  const message = describe(error);
  return /Connection terminated|ECONNREFUSED|ECONNRESET|not queryable|Client was closed/i.test(message);
}
