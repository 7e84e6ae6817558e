import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';

export interface NatsConnectOptions {
  readonly url: string;
  readonly name: string;
  readonly timeoutMs?: number;
}

/**
 * The service's NATS connection. It must connect at boot; afterwards it reconnects forever and
 * reports whether it is currently connected (readiness follows it).
 */
@Injectable()
export class NatsConnectionHolder implements OnApplicationShutdown {
  private readonly logger = new Logger('Nats');
  private connected = false;

  private constructor(readonly connection: NatsConnection) {
    this.connected = true;
    void this.watch();
  }

  static async open(options: NatsConnectOptions): Promise<NatsConnectionHolder> {
    try {
      const connection = await connect({
        servers: options.url,
        name: options.name,
        timeout: options.timeoutMs ?? 5_000,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 500,
        pingInterval: 2_000,
        maxPingOut: 2,
      });
      return new NatsConnectionHolder(connection);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`NATS at ${options.url}: ${reason} — is nats-server running with JetStream (-js)?`, {
        cause: error,
      });
    }
  }

  get isConnected(): boolean {
    return this.connected && !this.connection.isClosed();
  }

  private async watch(): Promise<void> {
    for await (const status of this.connection.status()) {
      if (status.type === 'disconnect' || status.type === 'staleConnection') {
        if (this.connected) this.logger.warn(`NATS connection lost (${status.type})`);
        this.connected = false;
      } else if (status.type === 'reconnect') {
        this.connected = true;
        this.logger.log('NATS connection restored');
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.connection.isClosed()) return;
    await this.connection.drain().catch(() => this.connection.close());
  }
}
