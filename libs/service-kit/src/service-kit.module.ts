import { DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ServiceConfig } from './config/service-config';
import { DatabaseModule, DatabaseOptions } from './database/database.module';
import { HealthController, NatsHealthIndicator, ShutdownHealthIndicator } from './health/health.controller';
import { ReadinessState } from './health/readiness.state';
import { CorrelationInterceptor } from './logging/correlation.interceptor';
import { ServiceLoggerModule } from './logging/logger.module';
import { MetricsModule } from './metrics/metrics.module';
import { NatsConnectionHolder } from './nats/nats-connection';
import { SERVICE_CONFIG } from './service-config.token';

export interface ServiceKitOptions extends DatabaseOptions {
  readonly config: ServiceConfig;
  readonly nats: NatsConnectionHolder;
  readonly readiness: ReadinessState;
}

/**
 * What every service has: typed configuration, its database (own role and schemas, migrations at
 * start), a NATS connection, health, metrics and JSON logs with correlation ids.
 */
@Module({})
export class ServiceKitModule {
  static forRoot(options: ServiceKitOptions): DynamicModule {
    const { config } = options;
    return {
      module: ServiceKitModule,
      global: true,
      imports: [
        ServiceLoggerModule.forRoot(config),
        DatabaseModule.forRoot(config, options),
        MetricsModule.forRoot(config),
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: NatsConnectionHolder, useValue: options.nats },
        { provide: ReadinessState, useValue: options.readiness },
        { provide: APP_INTERCEPTOR, useClass: CorrelationInterceptor },
        NatsHealthIndicator,
        ShutdownHealthIndicator,
      ],
      exports: [SERVICE_CONFIG, NatsConnectionHolder, ReadinessState, DatabaseModule],
    };
  }
}
