import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { MartBuilder, MartRefresher, type OpenSession } from '@olist/warehouse-infrastructure';
import type { DataSource } from 'typeorm';

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

/** Keeps the marts current: rebuilt from core whenever the consumers have caught up. */
@Injectable()
export class MartRefreshService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Marts');
  readonly builder: MartBuilder;
  private readonly refresher: MartRefresher;

  constructor(@InjectDataSource() db: DataSource) {
    this.builder = new MartBuilder(typeOrmSessions(db));
    this.refresher = new MartRefresher(this.builder, {
      pollMs: 500,
      onBuilt: (r) => this.logger.log(`marts built from ${r.builtFrom} events in ${r.ms} ms`),
      onError: (e) => this.logger.error(`mart build failed: ${e instanceof Error ? e.message : String(e)}`),
    });
  }

  onApplicationBootstrap(): void {
    this.refresher.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.refresher.stop();
  }
}
