import { createInbox, headers as natsHeaders, type Msg, type NatsConnection } from '@nats-io/nats-core';
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

/**
 * Rewrites the envelope (JSON text) of an outbox row on its way to JetStream, e.g. to seal fields
 * the stream must not carry in clear. It may throw: the row is then not published (nor any after
 * it) and the relay retries, so a failing transform never lets the row out unchanged.
 */
export type PayloadTransform = (envelope: string) => string;

export interface OutboxRelayOptions {
  readonly schema: string;
  /** Connection for the relay's own session (LISTEN and the leadership lock need one). */
  readonly database: ClientConfig;
  readonly js: JetStreamClient;
  /** The connection under `js` (taken from `js` when not given): PubAcks arrive on one subscription of it. */
  readonly nc?: NatsConnection;
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
  /** Transforms by outbox subject (without the deployment prefix); rows of other subjects go out as stored, unparsed. */
  readonly transforms?: ReadonlyMap<string, PayloadTransform>;
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
  /** Envelopes in the row: a batch (JSON array) when the body starts with `[`. */
  events: number;
  body: string;
  age_ms: number;
}

/** Batches read ahead in one drain before the relay looks at the outbox from its start again. */
const MAX_ROUNDS_PER_DRAIN = 16;
const silent: RelayLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Publishes a service's outbox to JetStream in commit order, one message per row (a batch row —
 * a JSON array of envelopes of one subject — goes out with `Olist-Events: <count>`). One instance per service holds the
 * leadership (a session advisory lock), the others wait; a crashed leader's lock goes with its
 * connection. Rows are read in position order, published through a bounded window of in-flight
 * publishes with `Nats-Msg-Id` = event id, and marked published only after their PubAck, so a
 * crash between publish and mark re-publishes and JetStream's duplicate window drops the copy.
 * While one batch is in flight the next one is read and the previous one marked, on the same
 * session; batches are published one after the other, so the stream keeps position order.
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
    let total = 0;
    let marking: Promise<void> = Promise.resolve();
    let rows = await this.fetch(client);
    try {
      for (let round = 1; rows.length > 0; round++) {
        // Read the next batch while this one is in flight: the rows after it (a row committed
        // meanwhile with a lower position is found by the next drain, which starts from the top).
        const last = (rows[rows.length - 1] as OutboxRow).position;
        const next = rows.length === this.batchSize && round < MAX_ROUNDS_PER_DRAIN ? this.fetch(client, last) : undefined;
        next?.catch(() => undefined);
        const published = await this.publish(rows);
        if (published.length > 0) {
          await this.options.hooks?.afterPublish?.(published);
          await marking;
          marking = client
            .query(`UPDATE ${this.table} SET published_at = clock_timestamp() WHERE position = ANY($1::bigint[])`, [published])
            .then(() => undefined);
          marking.catch(() => undefined);
          total += published.length;
        }
        if (published.length < rows.length) throw new Error(`${rows.length - published.length} publishes got no PubAck`);
        rows = next ? await next : [];
      }
    } finally {
      await marking;
    }
    return total;
  }

  /**
   * Unpublished rows in position order (after `after` when given). `ORDER BY outbox.position`: the
   * bare name would sort by the text column of the same name in the select list.
   */
  private async fetch(client: Client, after?: string): Promise<OutboxRow[]> {
    const { rows } = await client.query<OutboxRow>(
      `SELECT position::text AS position, id::text AS id, subject, correlation_id, causation_id, type, events,
              envelope::text AS body, (extract(epoch FROM clock_timestamp() - created_at) * 1000)::float8 AS age_ms
         FROM ${this.table}
        WHERE published_at IS NULL${after === undefined ? '' : ' AND position > $2::bigint'}
        ORDER BY outbox.position LIMIT $1`,
      after === undefined ? [this.batchSize] : [this.batchSize, after],
    );
    const transforms = this.options.transforms;
    if (transforms && transforms.size > 0) {
      for (const row of rows) {
        const transform = transforms.get(row.subject);
        if (!transform) continue;
        try {
          row.body = isBatch(row.body)
            ? `[${(JSON.parse(row.body) as unknown[]).map((envelope) => transform(JSON.stringify(envelope))).join(',')}]`
            : transform(row.body);
        } catch (error) {
          // The cause is not quoted: its message may contain a piece of the body.
          throw new Error(`payload transform of ${row.subject} failed for event ${row.id} (${error instanceof Error ? error.name : 'error'})`);
        }
      }
    }
    return rows;
  }

  /**
   * Publishes the rows in order with at most `window` PubAcks outstanding. The messages go out
   * through core NATS with reply subjects under one inbox subscription, which gets the PubAcks
   * (or the 503 of a subject no stream takes); a row is sent as soon as a PubAck frees a slot.
   * No promise, timer or request object per message: `js.publish` costs about twice the CPU.
   * Resolves with the positions of the rows JetStream acknowledged.
   */
  private async publish(rows: readonly OutboxRow[]): Promise<string[]> {
    const { topology, metrics } = this.options;
    const nc = this.options.nc ?? (this.options.js as unknown as { nc: NatsConnection }).nc;
    const timeout = this.options.publishTimeoutMs ?? 5_000;
    const acked: boolean[] = new Array(rows.length).fill(false);
    const inbox = `${createInbox()}.`;
    let next = 0;
    let inFlight = 0;
    let failure: unknown;
    let lastAck = Date.now();
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const send = () => {
      while (inFlight < this.window && next < rows.length && failure === undefined) {
        const i = next++;
        const row = rows[i] as OutboxRow;
        const h = natsHeaders();
        h.set('Nats-Msg-Id', row.id);
        h.set(HEADER.eventId, row.id);
        h.set(HEADER.eventType, row.type);
        h.set(HEADER.correlationId, row.correlation_id);
        if (row.causation_id) h.set(HEADER.causationId, row.causation_id);
        if (isBatch(row.body)) h.set(HEADER.events, String(row.events));
        inFlight++;
        nc.publish(topology.subject(row.subject), row.body, { headers: h, reply: `${inbox}${i}` });
      }
      if (inFlight === 0) finish();
    };
    const onAck = (error: Error | null, msg: Msg) => {
      if (error) {
        failure ??= error;
        return finish();
      }
      inFlight--;
      lastAck = Date.now();
      const i = Number(msg.subject.slice(inbox.length));
      const problem = pubAckProblem(msg);
      if (problem) failure ??= new Error(problem);
      else acked[i] = true;
      send();
    };
    const sub = nc.subscribe(`${inbox}*`, { callback: onAck });
    const watchdog = setInterval(() => {
      if (Date.now() - lastAck <= timeout) return;
      failure ??= new Error(`no PubAck within ${timeout} ms`);
      finish();
    }, Math.min(timeout, 1_000));
    try {
      send();
      await finished;
    } finally {
      clearInterval(watchdog);
      sub.unsubscribe();
    }
    const done = rows.filter((_, i) => acked[i]);
    if (metrics && done.length > 0) {
      const stream = topology.contextOf(rows[0]?.subject ?? '') ?? 'unknown';
      metrics.published.inc({ stream }, done.reduce((n, row) => n + row.events, 0));
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
    // Take the rows in the order of the partial index whatever the statistics say: after an idle
    // spell (or in a new table) the planner expects few unpublished rows and would rather fetch
    // and sort them all, which makes every round of a large backlog a sort of the whole backlog.
    await client.query('SET enable_sort = off');
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

/** A batch row's body is a JSON array of envelopes; a single envelope is an object. */
function isBatch(body: string): boolean {
  return body.charCodeAt(0) === 0x5b; // [
}

/** Why a PubAck is not one: a status (503: no stream takes the subject) or a JetStream error. */
function pubAckProblem(msg: Msg): string | undefined {
  const status = msg.headers?.code ?? 0;
  if (status >= 300 || msg.data.length === 0) return status === 503 ? 'no stream takes the subject (503)' : `status ${status} ${msg.headers?.description ?? ''}`.trim();
  try {
    const ack = msg.json<{ stream?: string; error?: { description?: string } }>();
    return ack.error ? (ack.error.description ?? 'JetStream error') : ack.stream ? undefined : 'invalid PubAck';
  } catch {
    return 'invalid PubAck';
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isConnectionError(error: unknown): boolean {
  const message = describe(error);
  return /Connection terminated|ECONNREFUSED|ECONNRESET|not queryable|Client was closed/i.test(message);
}
