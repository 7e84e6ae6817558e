import type { IncomingMessage } from 'node:http';
import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions, Transport } from '@nestjs/microservices';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { ServiceName } from '../catalog/services.catalog';
import { ConfigError } from '../config/config-error';
import { loadServiceConfig, ServiceConfig } from '../config/service-config';
import { ReadinessState } from '../health/readiness.state';
import { NatsConnectionHolder } from '../nats/nats-connection';
import { CORRELATION_HEADER, CorrelationContext } from '../logging/correlation.context';

export interface ServiceModuleContext {
  readonly config: ServiceConfig;
  readonly nats: NatsConnectionHolder;
  readonly readiness: ReadinessState;
}

export interface StartedService {
  readonly app: INestApplication;
  readonly config: ServiceConfig;
  readonly url: string;
  /** Stops taking work, drains NATS, closes the HTTP server and the pools. */
  stop(): Promise<void>;
}

/** Request-reply subject prefix of a service on the Nest NATS transport. */
export const rpcSubject = (service: ServiceName, name: string) => `olist.rpc.${service}.${name}`;

/**
 * Builds and starts one service. Throws ConfigError or a connection error; `runService` turns
 * those into a message and a non-zero exit.
 */
export async function startService(
  name: ServiceName,
  moduleFor: (context: ServiceModuleContext) => DynamicModule | Type,
  env: NodeJS.ProcessEnv = process.env,
): Promise<StartedService> {
  const config = loadServiceConfig(name, env);
  const nats = await NatsConnectionHolder.open({ url: config.natsUrl, name: `olist-${name}` });
  const readiness = new ReadinessState();
  let app: NestFastifyApplication;
  try {
    app = await NestFactory.create<NestFastifyApplication>(
      moduleFor({ config, nats, readiness }),
      new FastifyAdapter({
        bodyLimit: 10 * 1024 * 1024,
        genReqId: (req: { headers: IncomingMessage['headers'] }) => CorrelationContext.idFrom(req.headers[CORRELATION_HEADER]),
      }),
      { bufferLogs: true, abortOnError: false },
    );
  } catch (error) {
    await nats.connection.close();
    throw error;
  }
  app.useLogger(app.get(Logger));
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', async (request, reply) => {
      reply.header(CORRELATION_HEADER, request.id);
    });
  app.connectMicroservice<MicroserviceOptions>(
    {
      transport: Transport.NATS,
      options: { servers: [config.natsUrl], queue: `olist-${name}`, name: `olist-${name}-rpc` },
    },
    { inheritAppConfig: true },
  );
  await app.startAllMicroservices();
  await app.listen({ port: config.port, host: config.host });
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      readiness.markDraining();
      await app.close();
    })());
  return { app, config, url, stop };
}

/** Process entry point of a service: start, log, and shut down cleanly on SIGTERM/SIGINT. */
export function runService(name: ServiceName, moduleFor: (context: ServiceModuleContext) => DynamicModule | Type): void {
  startService(name, moduleFor).then(
    (service) => {
      const logger = service.app.get(Logger);
      logger.log(`${name} listening on ${service.url}`, 'Bootstrap');
      const onSignal = (signal: NodeJS.Signals) => {
        logger.log(`${signal} received: draining`, 'Bootstrap');
        setTimeout(() => {
          logger.error(`shutdown took longer than ${service.config.shutdownTimeoutMs} ms; exiting`, 'Bootstrap');
          process.exit(1);
        }, service.config.shutdownTimeoutMs).unref();
        service.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            logger.error(`shutdown failed: ${String(error)}`, 'Bootstrap');
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', onSignal);
      process.once('SIGINT', onSignal);
    },
    (error: unknown) => {
      const message = error instanceof ConfigError ? error.message : `${name} failed to start: ${describe(error)}`;
      // Plain text: this is read by the person starting the service, not by a log pipeline.
      process.stderr.write(`${name}: ${message}\n`);
      process.exit(1);
    },
  );
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.message;
}
