import { AckPolicy, Consumer, DeliverPolicy, JetStreamManager, JetStreamClient, JsMsg, ConsumerMessages } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { CorrelationContext } from '@olist/service-kit';
import { HEADER } from '../headers';
import type { MessagingMetrics } from '../messaging.metrics';
import { quoteIdent, SqlTx, Transactor } from '../sql';
import type { StreamContext, Topology } from '../topology';
import { InboundMessage, inboundMessage, inboundMessages, Upcaster } from './inbound-message';
import type { RelayLogger } from '../outbox/outbox.relay';

export type BatchHandler<TTx extends SqlTx> = (messages: readonly InboundMessage[], tx: TTx) => Promise<void>;

export interface DurableConsumerSpec<TTx extends SqlTx = SqlTx> {
  /** Durable name, `<service>-<purpose>`; instances of one service share it and split the work. */
  readonly name: string;
  readonly stream: StreamContext;
  /** Unprefixed subject filters, e.g. `olist.sales.>`. */
  readonly subjects: readonly string[];
  readonly handler: BatchHandler<TTx>;
  /** Deliveries before a message goes to the dead-letter table (default 5). */
  readonly maxDeliveries?: number;
  /** Most messages applied in one transaction. */
  readonly batchSize?: number;
  /**
   * Most events applied in one transaction (default 5,000), counting a batch message's envelopes
   * (`Olist-Events`) and any other message as one; a single batch message larger than this still
   * goes alone.
   */
  readonly maxEventsPerTransaction?: number;
  readonly ackWaitMs?: number;
  /** Delays before retrying a failed message, by attempt (the last one repeats). */
  readonly backoffMs?: readonly number[];
  /**
   * Asked before each pull: while it says true, nothing more is pulled (what was delivered is still
   * applied), and it is asked again every HOLD_POLL_MS. For work that is cheaper once other
   * consumers have caught up; it should let go of its own accord when they are stuck. An error
   * counts as false.
   */
  readonly holdBack?: () => boolean | Promise<boolean>;
}

export interface DurableConsumerOptions<TTx extends SqlTx> {
  readonly schema: string;
  readonly transactor: Transactor<TTx>;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly topology: Topology;
  readonly metrics?: MessagingMetrics;
  readonly logger?: RelayLogger;
  /** Brings envelopes of older versions up to the latest contract version before the handler sees them. */
  readonly upcaster?: Upcaster;
  /** Test seams: after the transaction committed and before the acks. */
  readonly hooks?: { afterCommit?: (messages: readonly InboundMessage[]) => void | Promise<void> };
}

/** About how many bytes of messages one consumer has delivered but not yet applied. */
const IN_FLIGHT_BYTES = 4 * 1024 * 1024;
/** How often a held-back consumer asks again whether it may pull. */
const HOLD_POLL_MS = 250;
const silent: RelayLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Part {
  readonly message: JsMsg;
  /** The delivery as one message (what a dead letter stores). */
  readonly whole: InboundMessage;
  /** Its events (a batch message taken apart). */
  readonly inbound: InboundMessage[];
}

/**
 * A durable pull consumer whose handler runs in the service's own transaction together with the
 * inbox insert: a redelivered or duplicated event changes nothing, and the ack follows the commit.
 * Messages that arrive together are applied together (up to `batchSize` messages and
 * `maxEventsPerTransaction` events per transaction); a batch message is taken apart into one
 * InboundMessage per envelope, each with its own inbox row. A batch that fails is retried message
 * by message, in stream order; a message that fails alone is retried in place with backoff (its
 * ack deadline kept alive), holding back the messages after it, so a projection never sees an
 * aggregate's events out of order and nothing counts as applied while a retry is pending. After
 * `maxDeliveries` attempts it is stored in `dead_letter` with its last error and terminated, and
 * the consumer moves on.
 */
export class DurableConsumer<TTx extends SqlTx = SqlTx> {
  private readonly inbox: string;
  private readonly deadLetter: string;
  private readonly maxDeliveries: number;
  private readonly batchSize: number;
  private readonly maxEvents: number;
  private readonly log: RelayLogger;
  private messages?: ConsumerMessages;
  /** Running average of the message sizes pulled (bytes), for the size of the next pull. */
  private averageBytes = 64 * 1024;
  private running?: Promise<void>;
  private stopping = false;

  constructor(
    readonly spec: DurableConsumerSpec<TTx>,
    private readonly options: DurableConsumerOptions<TTx>,
  ) {
    this.inbox = `${quoteIdent(options.schema)}.inbox`;
    this.deadLetter = `${quoteIdent(options.schema)}.dead_letter`;
    this.maxDeliveries = spec.maxDeliveries ?? 5;
    this.batchSize = spec.batchSize ?? 500;
    this.maxEvents = spec.maxEventsPerTransaction ?? 5_000;
    this.log = options.logger ?? silent;
  }

  get streamName(): string {
    return this.options.topology.stream(this.spec.stream);
  }

  /** Creates or updates the durable consumer (idempotent). */
  async ensure(): Promise<void> {
    const { jsm, topology } = this.options;
    const config = {
      durable_name: this.spec.name,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      // One subject works on every JetStream server; several need nats-server 2.10+.
      ...(this.spec.subjects.length === 1
        ? { filter_subject: topology.subject(this.spec.subjects[0] as string) }
        : { filter_subjects: this.spec.subjects.map((s) => topology.subject(s)) }),
      ack_wait: nanos(this.spec.ackWaitMs ?? 30_000),
      max_deliver: -1,
      max_ack_pending: 20_000,
    };
    try {
      await jsm.consumers.info(this.streamName, this.spec.name);
      const { durable_name: _, deliver_policy: __, ...updatable } = config;
      await jsm.consumers.update(this.streamName, this.spec.name, updatable);
    } catch (error) {
      if (!isNotFound(error)) throw error;
      await jsm.consumers.add(this.streamName, config);
    }
  }

  /** Removes the durable consumer from JetStream (its position with it); absent is fine. */
  async delete(): Promise<void> {
    try {
      await this.options.jsm.consumers.delete(this.streamName, this.spec.name);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  start(): void {
    this.stopping = false;
    this.running ??= this.loop().finally(() => (this.running = undefined));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.messages?.close().catch(() => undefined);
    await this.running;
  }

  private async loop(): Promise<void> {
    let backoff = 250;
    while (!this.stopping) {
      try {
        const consumer = await this.options.js.consumers.get(this.streamName, this.spec.name);
        await this.drain(consumer, () => (backoff = 250));
      } catch (error) {
        if (this.stopping) break;
        this.log.warn(`consumer ${this.spec.name}: ${describe(error)}; resuming in ${backoff} ms`);
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 5_000);
      }
    }
  }

  /**
   * Applies what arrives until a pull fails or the consumer stops. Messages are pulled with
   * `fetch`, one request at a time, each for about IN_FLIGHT_BYTES of messages (the count derived
   * from the sizes seen so far), and the next request goes out only once the queue is below half
   * of that: what is delivered but not applied stays bounded whatever the stream holds, so a
   * service never falls behind on its socket (the server drops a slow consumer's connection, and
   * its undelivered messages would come back only after the ack wait — after later ones). Each
   * round applies the queued messages that `takeCount` allows, while the pull goes on.
   */
  private async drain(consumer: Consumer, connected: () => void): Promise<void> {
    const queue: JsMsg[] = [];
    let queuedBytes = 0;
    let wake: (() => void) | undefined;
    let pulling: Promise<void> | undefined;
    let failure: { error: unknown } | undefined;
    // A held-back consumer that has caught up asks for one message at a time: a pull waiting on an
    // idle stream would otherwise take a whole pull's worth of what arrives before it is asked again.
    let idle = true;
    const pull = async () => {
      try {
        const messages = await consumer.fetch({ max_messages: this.spec.holdBack && idle ? 1 : this.fetchCount(), expires: 5_000 });
        this.messages = messages;
        connected();
        let received = 0;
        for await (const m of messages) {
          received++;
          queue.push(m);
          queuedBytes += m.data.length;
          this.observeSize(m.data.length);
          wake?.();
        }
        idle = received === 0;
        const error = await messages.closed();
        if (error) throw error;
      } catch (error) {
        failure = { error };
      }
    };
    while (!this.stopping) {
      // What was delivered is applied before a failed pull ends the round (else it would come back after later messages).
      if (failure && queue.length === 0) throw failure.error;
      if (!pulling && !failure && queuedBytes < IN_FLIGHT_BYTES / 2) {
        if (await this.heldBack()) {
          if (queue.length === 0) await sleep(HOLD_POLL_MS);
          if (queue.length === 0) continue;
        } else {
          pulling = pull().finally(() => {
            pulling = undefined;
            wake?.();
          });
        }
      }
      if (queue.length === 0) {
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        continue;
      }
      await new Promise((resolve) => setImmediate(resolve));
      const batch = queue.splice(0, this.takeCount(queue));
      for (const m of batch) queuedBytes -= m.data.length;
      await this.process(batch);
    }
    await this.messages?.close().catch(() => undefined);
    await pulling;
    // Delivered but not applied: back to the server at once, in order, rather than after the ack wait.
    for (const m of queue.splice(0)) m.nak();
  }

  private async heldBack(): Promise<boolean> {
    if (!this.spec.holdBack) return false;
    try {
      return await this.spec.holdBack();
    } catch {
      return false;
    }
  }

  /** Messages per pull: about IN_FLIGHT_BYTES at the average size seen, at most twice batchSize (at least 100). */
  private fetchCount(): number {
    const most = Math.max(this.batchSize * 2, 100);
    return Math.max(1, Math.min(most, Math.floor(IN_FLIGHT_BYTES / Math.max(this.averageBytes, 1))));
  }

  private observeSize(bytes: number): void {
    this.averageBytes += (bytes - this.averageBytes) * 0.1;
  }

  /** How many queued messages the next transaction takes: up to batchSize messages and maxEvents events. */
  private takeCount(queue: readonly JsMsg[]): number {
    let n = 0;
    let events = 0;
    while (n < queue.length && n < this.batchSize) {
      const count = Number((queue[n] as JsMsg).headers?.get(HEADER.events) || 1);
      if (n > 0 && events + count > this.maxEvents) break;
      events += count;
      n++;
    }
    return n;
  }

  private async process(batch: readonly JsMsg[]): Promise<void> {
    const started = process.hrtime.bigint();
    const parts: Part[] = [];
    for (const message of batch) {
      const whole = this.toInbound(message);
      try {
        parts.push({ message, whole, inbound: inboundMessages(whole, this.options.upcaster) });
      } catch (error) {
        // Cannot be read at all: no retry makes it readable.
        await this.toDeadLetters(message, whole, message.info.deliveryCount, error);
      }
    }
    try {
      const all = parts.flatMap((p) => p.inbound);
      const applied = await this.applyInTransaction(all);
      for (const p of parts) p.message.ack();
      this.count('applied', applied);
      this.count('duplicate', all.length - applied);
    } catch (error) {
      // Isolate the failing message(s): apply one by one, in order.
      for (const [i, part] of parts.entries()) {
        if (this.stopping) {
          // Not applied: back to the server at once, in order, for whoever consumes next.
          for (const rest of parts.slice(i)) rest.message.nak();
          break;
        }
        await this.applyWithRetries(part, parts.length === 1 ? error : undefined);
      }
    } finally {
      this.options.metrics?.handleSeconds.observe({ consumer: this.spec.name }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  /**
   * Applies one message, retrying in place after a failure (backoffMs by attempt, the message's
   * ack deadline extended meanwhile) until it succeeds, `maxDeliveries` attempts have failed
   * (dead letter) or the consumer stops (nak: redelivered at once to the next consumer).
   * `failed`: the error of an attempt already made on this delivery.
   */
  private async applyWithRetries(part: Part, failed?: unknown): Promise<void> {
    const delays = this.spec.backoffMs ?? [1_000, 5_000, 15_000, 30_000];
    let attempt = part.message.info.deliveryCount;
    let error = failed;
    for (;;) {
      if (error === undefined) {
        try {
          const applied = await this.applyInTransaction(part.inbound);
          part.message.ack();
          this.count('applied', applied);
          this.count('duplicate', part.inbound.length - applied);
          return;
        } catch (e) {
          error = e;
        }
      }
      if (attempt >= this.maxDeliveries) return this.toDeadLetters(part.message, part.whole, attempt, error);
      const delay = delays[Math.min(attempt - 1, delays.length - 1)] ?? 1_000;
      this.count('retried', 1);
      this.log.warn(`consumer ${this.spec.name}: ${part.whole.subject} #${part.whole.streamSequence} failed (attempt ${attempt}), retrying in ${delay} ms: ${describe(error)}`);
      if (!(await this.holdFor(part.message, delay))) {
        part.message.nak();
        return;
      }
      attempt++;
      error = undefined;
    }
  }

  /** Waits `ms` while keeping the message's ack deadline alive; false when the consumer stops meanwhile. */
  private async holdFor(message: JsMsg, ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    const step = Math.max(100, Math.min(5_000, Math.floor((this.spec.ackWaitMs ?? 30_000) / 3)));
    while (!this.stopping && Date.now() < until) {
      message.working();
      await sleep(Math.min(step, until - Date.now()));
    }
    return !this.stopping;
  }

  /**
   * One transaction: inbox rows for the delivered messages not seen before (a batch message is one
   * row: its envelopes are always applied together), the handler on their events. Returns how many
   * events were new.
   */
  private async applyInTransaction(messages: readonly InboundMessage[]): Promise<number> {
    const applied = await this.options.transactor.transaction(async (tx) => {
      const fresh = await tx.query<{ event_id: string }>(
        `INSERT INTO ${this.inbox} (consumer, event_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING RETURNING event_id`,
        [this.spec.name, [...new Set(messages.map((m) => m.messageId))]],
      );
      const ids = new Set(fresh.map((r) => r.event_id));
      // A message delivered twice into one transaction (a redelivery queued behind the original) counts once.
      const taken = new Set<string>();
      const toApply = messages.filter((m) => {
        const key = `${m.messageId}\u0000${m.eventId}`;
        return ids.has(m.messageId) && !taken.has(key) && Boolean(taken.add(key));
      });
      if (toApply.length > 0) {
        const scope = { correlationId: toApply[0]?.headers[HEADER.correlationId] ?? CorrelationContext.idFrom(undefined), causationId: toApply[0]?.eventId };
        await CorrelationContext.run(scope, () => this.spec.handler(toApply, tx));
      }
      return toApply.length;
    });
    await this.options.hooks?.afterCommit?.(messages);
    return applied;
  }

  private async toDeadLetters(message: JsMsg, inbound: InboundMessage, attempts: number, error: unknown): Promise<void> {
    await this.options.transactor.transaction((tx) => this.storeDeadLetter(tx, inbound, attempts, error));
    message.term(`dead-lettered after ${attempts} attempts: ${describe(error)}`.slice(0, 200));
    this.count('dead_lettered', 1);
    this.log.error(`consumer ${this.spec.name}: ${inbound.subject} #${inbound.streamSequence} dead-lettered after ${attempts} attempts: ${describe(error)}`);
  }

  private async storeDeadLetter(tx: SqlTx, m: InboundMessage, deliveries: number, error: unknown): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.deadLetter} (consumer, stream, subject, stream_seq, event_id, headers, data, deliveries, last_error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (consumer, stream, stream_seq) DO UPDATE
         SET deliveries = EXCLUDED.deliveries, last_error = EXCLUDED.last_error, redriven_at = NULL, redrive_requested_at = NULL`,
      [this.spec.name, m.stream, m.subject, m.streamSequence, m.eventId, JSON.stringify(m.headers), Buffer.from(m.data), deliveries, describe(error)],
    );
  }

  /**
   * Applies dead letters an operator asked to re-drive (`olist dead-letters redrive`), through the
   * same handler and inbox; returns how many succeeded.
   */
  async redriveRequested(): Promise<number> {
    const rows = await this.options.transactor.transaction((tx) =>
      tx.query<{ id: string; stream: string; subject: string; stream_seq: string; event_id: string; headers: Record<string, string>; data: Buffer; deliveries: number }>(
        `SELECT id::text, stream, subject, stream_seq::text, event_id, headers, data, deliveries FROM ${this.deadLetter}
          WHERE consumer = $1 AND redrive_requested_at IS NOT NULL AND redriven_at IS NULL ORDER BY id LIMIT 100`,
        [this.spec.name],
      ),
    );
    let succeeded = 0;
    for (const row of rows) {
      const message = inboundMessage(
        {
          eventId: row.event_id,
          subject: row.subject,
          stream: row.stream,
          streamSequence: Number(row.stream_seq),
          deliveryCount: row.deliveries + 1,
          headers: row.headers,
          data: new Uint8Array(row.data),
        },
        this.options.upcaster,
      );
      try {
        await this.applyInTransaction(inboundMessages(message, this.options.upcaster));
        await this.options.transactor.transaction((tx) =>
          tx.query(`UPDATE ${this.deadLetter} SET redriven_at = now(), redrive_attempts = redrive_attempts + 1 WHERE id = $1`, [row.id]),
        );
        succeeded++;
        this.log.log(`consumer ${this.spec.name}: dead letter ${row.id} re-driven`);
      } catch (error) {
        await this.options.transactor.transaction((tx) =>
          tx.query(
            `UPDATE ${this.deadLetter} SET redrive_requested_at = NULL, redrive_attempts = redrive_attempts + 1, last_error = $2 WHERE id = $1`,
            [row.id, describe(error)],
          ),
        );
        this.log.warn(`consumer ${this.spec.name}: re-driving dead letter ${row.id} failed: ${describe(error)}`);
      }
    }
    return succeeded;
  }

  /** The delivery as one message (a batch not taken apart): what a dead letter stores. */
  private toInbound(m: JsMsg): InboundMessage {
    const headers: Record<string, string> = {};
    for (const [key, values] of m.headers ?? []) headers[key] = values[0] ?? '';
    const eventId = headers[HEADER.eventId] || headers['Nats-Msg-Id'] || `${m.info.stream}:${m.seq}`;
    return inboundMessage(
      {
        eventId,
        subject: this.options.topology.unprefix(m.subject),
        stream: m.info.stream,
        streamSequence: m.seq,
        deliveryCount: m.info.deliveryCount,
        pending: m.info.pending,
        headers,
        data: m.data,
      },
      this.options.upcaster,
    );
  }

  private count(outcome: 'applied' | 'duplicate' | 'retried' | 'dead_lettered', n: number): void {
    if (n > 0) this.options.metrics?.consumed.inc({ consumer: this.spec.name, outcome }, n);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isNotFound(error: unknown): boolean {
  const e = error as { code?: number | string; api_error?: { err_code?: number }; message?: string };
  return e?.api_error?.err_code === 10014 || e?.code === 404 || /not found/i.test(e?.message ?? '');
}
