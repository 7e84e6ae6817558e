import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { jetstreamManager } from '@nats-io/jetstream';
import { consumersBacklog, STREAM_CONTEXTS, type StreamContext, Topology } from '@olist/messaging';
import { NatsConnectionHolder } from '@olist/service-kit';
import { MartBuilder, MartRefresher, type OpenSession } from '@olist/warehouse-infrastructure';
import type { DataSource } from 'typeorm';

/** The warehouse's durable consumer of the geolocation feed (dim_geolocation's only source). */
export const WAREHOUSE_GEOLOCATION_CONSUMER = 'warehouse-geolocation';

/** A session on the service's own connection pool. */
export function typeOrmSessions(db: DataSource): OpenSession {
  return async () => {
    const runner = db.createQueryRunner();
    await runner.connect();
    return {
      query: async <R>(sql: string, params?: unknown[]) => (await runner.query(sql, params, true)).records as R[],
      release: () => runner.release(),
    };
  };
}

/**
 * Keeps the marts current: rebuilt from core whenever the warehouse's consumers have caught up and
 * the other services' consumers have nothing pending (JetStream's view of every durable consumer
 * on the platform's streams), or after 30 s behind.
 */
@Injectable()
export class MartRefreshService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Marts');
  readonly builder: MartBuilder;
  private readonly refresher: MartRefresher;

  constructor(
    @InjectDataSource() db: DataSource,
    private readonly nats: NatsConnectionHolder,
    private readonly topology: Topology,
  ) {
    this.builder = new MartBuilder(typeOrmSessions(db), { geolocationStream: topology.stream('import') });
    this.refresher = new MartRefresher(this.builder, {
      pollMs: 500,
      upstreamPending: () => this.upstreamPending(),
      geolocationPending: () => this.geolocationPending(),
      onBuilt: (r) => this.logger.log(`marts built from ${r.builtFrom} events in ${r.ms} ms`),
      onGeolocationBuilt: () => this.logger.log('dim_geolocation built'),
      onError: (e) => this.logger.error(`mart build failed: ${e instanceof Error ? e.message : String(e)}`),
    });
  }

  /** Messages the other services' durable consumers have yet to apply. */
  private upstreamPending(): Promise<number> {
    return this.backlog(STREAM_CONTEXTS, (name) => !name.startsWith('warehouse-'));
  }

  /** Messages of the geolocation feed the warehouse's own consumer has yet to apply. */
  private geolocationPending(): Promise<number> {
    return this.backlog(['import'], (name) => name === WAREHOUSE_GEOLOCATION_CONSUMER);
  }

  /** What the chosen durable consumers of these streams have yet to apply (0 when NATS cannot tell). */
  private async backlog(streams: readonly StreamContext[], include: (consumer: string) => boolean): Promise<number> {
    try {
      const jsm = await jetstreamManager(this.nats.connection);
      return await consumersBacklog(jsm, this.topology, streams, include);
    } catch {
      return 0;
    }
  }

  onApplicationBootstrap(): void {
    this.refresher.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.refresher.stop();
  }
}
