import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { jetstreamManager } from '@nats-io/jetstream';
import { SegmentRecomputer } from '@olist/customer-infrastructure';
import { BacklogWatch, consumersBacklog, Topology, TypeOrmTransactor } from '@olist/messaging';
import { NatsConnectionHolder } from '@olist/service-kit';
import type { DataSource } from 'typeorm';

export const SEGMENT_SCHEDULE = Symbol('SEGMENT_SCHEDULE');

export interface SegmentSchedule {
  readonly recomputer: SegmentRecomputer;
  /** Durable consumers of the stream 'sales' whose backlog holds the recomputation back. */
  readonly salesConsumers: readonly string[];
  /** How long the inputs must not have moved (default 500 ms). */
  readonly quietMs?: number;
  /**
   * A backlog that has not shrunk for this long no longer holds the recomputation back (a stuck
   * consumer must not freeze segments; default 30 s, longer than a contended transaction of a
   * load takes to apply its messages).
   */
  readonly maxWaitMs?: number;
  readonly pollMs?: number;
}

/**
 * Recomputes the segments once their inputs stopped moving: dirty, nothing changed for
 * `quietMs`, and nothing is pending for the customer's sales consumers nor for the sales and
 * customer consumers of the raw feed (a load still being applied by sales means more order events
 * are coming) — or that backlog has not shrunk for `maxWaitMs` (a stuck consumer). A backlog
 * being worked off holds the recomputation back however long the inputs stay still meanwhile (at
 * scale 1 sales applies items and payments for a while before the orders that move the inputs).
 * Never per message, so the as-of does not move under a load still streaming in. Every instance
 * polls; the recomputer's advisory lock lets one of them work at a time.
 */
@Injectable()
export class SegmentRecomputeScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Segments');
  private readonly transactor: TypeOrmTransactor;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;
  private readonly backlog = new BacklogWatch();

  constructor(
    @Inject(SEGMENT_SCHEDULE) private readonly schedule: SegmentSchedule,
    @InjectDataSource() private readonly db: DataSource,
    private readonly nats: NatsConnectionHolder,
    private readonly topology: Topology,
  ) {
    this.transactor = new TypeOrmTransactor(db);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (!this.running && !this.stopped) this.running = this.tick().finally(() => (this.running = undefined));
    }, this.schedule.pollMs ?? 250);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private async tick(): Promise<void> {
    try {
      const { recomputer } = this.schedule;
      const { dirty } = await recomputer.due(this.db, this.schedule.quietMs ?? 500);
      if (!dirty) return;
      if (this.backlog.holds(await this.pending(), Date.now(), this.schedule.maxWaitMs ?? 30_000)) return;
      const started = Date.now();
      const done = await recomputer.recomputeInChunks(this.transactor);
      this.backlog.reset();
      if (done) {
        this.logger.log(`segments recomputed as of ${done.asOf}: ${done.customers} customers, ${done.changed} changed, in ${Date.now() - started} ms`);
      }
    } catch (error) {
      this.logger.warn(`segment recomputation: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** Messages the customer's sales consumers and the sales and customer raw-feed consumers have yet to apply (0 when NATS cannot tell). */
  private async pending(): Promise<number> {
    try {
      const jsm = await jetstreamManager(this.nats.connection);
      const own = new Set(this.schedule.salesConsumers);
      // The raw feed still being applied by sales (order events to come) or by the customer itself.
      const feeds = (name: string) => name.startsWith('sales-') || name.startsWith('customer-');
      return (await consumersBacklog(jsm, this.topology, ['sales'], (name) => own.has(name))) + (await consumersBacklog(jsm, this.topology, ['import'], feeds));
    } catch {
      return 0;
    }
  }
}
