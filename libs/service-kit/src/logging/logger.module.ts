import type { IncomingMessage, ServerResponse } from 'node:http';
import { DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { ServiceConfig } from '../config/service-config';
import { CORRELATION_HEADER, CorrelationContext } from './correlation.context';

const QUIET_ROUTES = /^\/(health|metrics)/;

/** JSON logs (pino) with the service name and the correlation id of the work in progress. */
@Module({})
export class ServiceLoggerModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: ServiceLoggerModule,
      imports: [
        LoggerModule.forRoot({
          // Nest 12 on Fastify matches the string form of the wildcard; the default route object is never applied.
          forRoutes: ['{*splat}'],
          pinoHttp: {
            level: config.logLevel,
            base: { service: config.service.name, pid: process.pid },
            timestamp: () => `,"time":"${new Date().toISOString()}"`,
            messageKey: 'msg',
            formatters: { level: (label: string) => ({ level: label }) },
            // Fastify assigns the id (see startService); this covers other adapters.
            genReqId: (req: IncomingMessage) => CorrelationContext.idFrom(req.headers[CORRELATION_HEADER]),
            customProps: (req: IncomingMessage & { id?: unknown }) => ({ correlationId: req.id }),
            mixin: (merge: object) => {
              const scope = CorrelationContext.current();
              if (!scope || 'correlationId' in merge) return {};
              return { correlationId: scope.correlationId, causationId: scope.causationId };
            },
            // Probes and scrapes log at debug so they do not drown the request log.
            customLogLevel: (req: IncomingMessage, res: ServerResponse, error?: Error) =>
              error || res.statusCode >= 500
                ? 'error'
                : res.statusCode >= 400
                  ? 'warn'
                  : QUIET_ROUTES.test(req.url ?? '')
                    ? 'debug'
                    : 'info',
            serializers: {
              req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
              res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
            },
          },
        }),
      ],
    };
  }
}
