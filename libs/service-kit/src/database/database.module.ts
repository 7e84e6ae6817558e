import { DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { MixedList, EntitySchema } from 'typeorm';
import { ServiceConfig } from '../config/service-config';
import { ensureSchemas } from './schemas';
import { PG_SESSION_OPTIONS } from './session-options';

export interface DatabaseOptions {
  /** Migration classes, oldest first (globs find nothing in compiled bundles). */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly migrations: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly entities?: MixedList<Function | string | EntitySchema>;
}

/**
 * The service's TypeORM connection: its own role, its own schemas (created first), migrations run
 * at start and never `synchronize`.
 */
@Module({})
export class DatabaseModule {
  static forRoot(config: ServiceConfig, options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: async () => {
            await ensureSchemas(config.databaseUrl, config.service.schemas);
            return {
              type: 'postgres' as const,
              url: config.databaseUrl,
              schema: config.service.schemas[0],
              migrations: options.migrations,
              migrationsTableName: 'migrations',
              migrationsRun: true,
              migrationsTransactionMode: 'each' as const,
              entities: options.entities ?? [],
              synchronize: false,
              logging: false,
              retryAttempts: 2,
              retryDelay: 1_000,
              extra: { max: 10, application_name: `olist-${config.service.name}`, options: PG_SESSION_OPTIONS },
            };
          },
        }),
      ],
      exports: [TypeOrmModule],
    };
  }
}
