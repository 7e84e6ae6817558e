import { Controller, Get, Injectable } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { NatsConnectionHolder } from '../nats/nats-connection';
import { ReadinessState } from './readiness.state';

const NATS_PING_TIMEOUT_MS = 1_000;

@Injectable()
export class NatsHealthIndicator {
  constructor(
    private readonly nats: NatsConnectionHolder,
    private readonly indicators: HealthIndicatorService,
  ) {}

  async check(key: 'nats') {
    const session = this.indicators.check(key);
    if (!this.nats.isConnected) return session.down({ message: 'not connected' });
    let timer: NodeJS.Timeout | undefined;
    try {
      const rtt = await Promise.race([
        this.nats.connection.rtt(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${NATS_PING_TIMEOUT_MS} ms`)), NATS_PING_TIMEOUT_MS);
        }),
      ]);
      return session.up({ rttMs: Math.round(rtt * 100) / 100 });
    } catch (error) {
      return session.down({ message: error instanceof Error ? error.message : String(error) });
    } finally {
      clearTimeout(timer);
    }
  }
}

@Injectable()
export class ShutdownHealthIndicator {
  constructor(
    private readonly state: ReadinessState,
    private readonly indicators: HealthIndicatorService,
  ) {}

  check(key: 'process') {
    const session = this.indicators.check(key);
    return this.state.isDraining ? session.down({ message: 'shutting down' }) : session.up();
  }
}

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly nats: NatsHealthIndicator,
    private readonly shutdown: ShutdownHealthIndicator,
  ) {}

  /** The process is up and its event loop answers. */
  @Get('live')
  live() {
    return { status: 'ok', uptimeSeconds: Math.round(process.uptime()) };
  }

  /** Ready to take work: Postgres and NATS answer and the process is not shutting down. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      () => this.shutdown.check('process'),
      this.db.pingCheck('postgres').withTimeout(1_500),
      () => this.nats.check('nats'),
    ]);
  }
}
