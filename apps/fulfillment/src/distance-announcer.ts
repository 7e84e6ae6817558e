import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { FulfillmentImportHandler } from '@olist/fulfillment-infrastructure';
import { TypeOrmTransactor } from '@olist/messaging';
import type { DataSource } from 'typeorm';

/** The handler the announcer works with (the consumers build their own). */
export const ANNOUNCING_HANDLER = Symbol('ANNOUNCING_HANDLER');

/** Shipments announced per transaction. */
const CHUNK = 5_000;

/**
 * At start, announces the distance of the shipments whose published events never conveyed it —
 * those published before fulfillment recorded what it announced — one transaction per chunk, in
 * the background beside the consumers. On a platform that always recorded it, one query that finds
 * nothing. Every instance runs it; the row locks keep a shipment from being announced twice.
 */
@Injectable()
export class DistanceAnnouncer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DistanceAnnouncer');
  private readonly transactor: TypeOrmTransactor;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(ANNOUNCING_HANDLER) private readonly handler: FulfillmentImportHandler,
    @InjectDataSource() db: DataSource,
  ) {
    this.transactor = new TypeOrmTransactor(db);
  }

  onApplicationBootstrap(): void {
    this.running = this.announceAll().then(
      (announced) => {
        if (announced > 0) this.logger.log(`announced the distance of ${announced} shipments published without one recorded`);
      },
      (error: unknown) => this.logger.warn(`announcing unannounced distances: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  /** Announces every unannounced distance, chunk by chunk; returns how many were announced. */
  async announceAll(): Promise<number> {
    let announced = 0;
    for (let after = ''; !this.stopped; ) {
      const chunk = await this.transactor.transaction((tx) => this.handler.announceUnannounced(tx, CHUNK, after));
      if (chunk.last === null) break;
      announced += chunk.announced;
      after = chunk.last;
    }
    return announced;
  }
}
