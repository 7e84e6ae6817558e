import { BeforeApplicationShutdown, DynamicModule, Inject, Injectable, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { DataSource } from 'typeorm';
import { MetricsRegistry, NatsConnectionHolder, SERVICE_CONFIG, type ServiceConfig } from '@olist/service-kit';
import { DurableConsumer, DurableConsumerSpec } from './consumer/durable-consumer';
import { loadMessagingConfig, type MessagingConfig } from './messaging.config';
import { MessagingMetrics } from './messaging.metrics';
import { Outbox } from './outbox/outbox';
import { OutboxRelay, type PayloadTransform } from './outbox/outbox.relay';
import { ContractRegistry } from './contracts/contract-registry';
import type { EventContract } from './contracts/event-contract';
import { TypeOrmTransactor, TypeOrmTx } from './sql';
import { ensureStreams } from './streams/streams';
import { StreamContext, Topology } from './topology';

export interface MessagingModuleOptions {
  /** Streams this service publishes to (created or updated at start); the relay runs when non-empty. */
  readonly publishes: readonly StreamContext[];
  /**
   * Contracts of the events this service publishes (every event is validated against them before it
   * enters the outbox) and of those it consumes (upcast to their latest version on read).
   */
  readonly contracts?: readonly EventContract[];
  /** Durable consumers of this service, built once the application's providers exist. */
  readonly consumers?: (moduleRef: ModuleRef) => readonly DurableConsumerSpec<TypeOrmTx>[];
  /** Rewrites of the envelopes of some subjects (without prefix) by the relay before they are published, e.g. to seal personal fields. */
  readonly relayTransforms?: ReadonlyMap<string, PayloadTransform>;
}

const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
const MESSAGING_CONFIG = Symbol('MESSAGING_CONFIG');
const MAINTENANCE_INTERVAL_MS = 2_000;

/**
 * Starts the outbox relay and the durable consumers with the application, keeps the messaging
 * metrics current, applies re-drive requests, and stops it all before the NATS connection drains.
 */
@Injectable()
export class MessagingRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Messaging');
  private relay?: OutboxRelay;
  private consumers: DurableConsumer<TypeOrmTx>[] = [];
  private timer?: NodeJS.Timeout;
  readonly metrics: MessagingMetrics;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingModuleOptions,
    @Inject(MESSAGING_CONFIG) private readonly config: MessagingConfig,
    @Inject(SERVICE_CONFIG) private readonly service: ServiceConfig,
    private readonly nats: NatsConnectionHolder,
    private readonly moduleRef: ModuleRef,
    readonly topology: Topology,
    private readonly contracts: ContractRegistry,
    metricsRegistry: MetricsRegistry,
  ) {
    this.metrics = new MessagingMetrics(metricsRegistry.registry);
  }

  private get dataSource(): DataSource {
    return this.moduleRef.get<DataSource>(getDataSourceToken(), { strict: false });
  }

  async onApplicationBootstrap(): Promise<void> {
    const nc = this.nats.connection;
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    const schema = this.service.service.schemas[0] as string;
    const logger = { log: (m: string) => this.logger.log(m), warn: (m: string) => this.logger.warn(m), error: (m: string) => this.logger.error(m) };
    if (this.options.publishes.length > 0) {
      const streams = await ensureStreams(jsm, this.topology, this.options.publishes, { maxAgeMs: this.config.streamMaxAgeMs });
      this.logger.log(`streams ready: ${streams.join(', ')}`);
      this.relay = new OutboxRelay({
        schema,
        database: { connectionString: this.service.databaseUrl },
        js,
        topology: this.topology,
        // A row is a batch message of up to 256 KiB (a raw-feed row about as much): 200 of them
        // bound what one read holds in memory.
        batchSize: 200,
        retentionMs: this.config.outboxRetentionMs,
        metrics: this.metrics,
        logger,
        transforms: this.options.relayTransforms,
      });
      this.relay.start();
    }
    const transactor = new TypeOrmTransactor(this.dataSource);
    const specs = this.options.consumers?.(this.moduleRef) ?? [];
    // A consumer may start before the service that publishes to its stream: create the stream if it is missing.
    const consumed = [...new Set(specs.map((s) => s.stream))].filter((c) => !this.options.publishes.includes(c));
    if (consumed.length > 0) await ensureStreams(jsm, this.topology, consumed, { maxAgeMs: this.config.streamMaxAgeMs });
    for (const spec of specs) {
      const consumer = new DurableConsumer<TypeOrmTx>(
        { maxDeliveries: this.config.maxDeliveries, ...spec },
        { schema, transactor, js, jsm, topology: this.topology, metrics: this.metrics, logger, upcaster: this.contracts },
      );
      await consumer.ensure();
      consumer.start();
      this.consumers.push(consumer);
    }
    this.timer = setInterval(() => void this.maintain(jsm, schema), MAINTENANCE_INTERVAL_MS);
    this.timer.unref();
  }

  private async maintain(jsm: Awaited<ReturnType<typeof jetstreamManager>>, schema: string): Promise<void> {
    try {
      const [backlog] = await this.dataSource.query(`SELECT coalesce(sum(events), 0)::int AS n FROM "${schema}".outbox WHERE published_at IS NULL`);
      this.metrics.outboxBacklog.set(backlog.n);
      const dead = await this.dataSource.query(
        `SELECT consumer, count(*)::int AS n FROM "${schema}".dead_letter WHERE redriven_at IS NULL GROUP BY consumer`,
      );
      for (const consumer of this.consumers) {
        const name = consumer.spec.name;
        this.metrics.deadLetters.set({ consumer: name }, dead.find((d: { consumer: string }) => d.consumer === name)?.n ?? 0);
        const info = await jsm.consumers.info(consumer.streamName, name);
        this.metrics.consumerLag.set({ consumer: name, stream: consumer.streamName }, info.num_pending + info.num_ack_pending);
        await consumer.redriveRequested();
      }
    } catch (error) {
      this.logger.warn(`messaging maintenance: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * Rewinds this service's durable consumers to the start of their streams, to rebuild what they
   * project: stops them, runs `reset` in one transaction (clear the projection and the inbox),
   * deletes them from JetStream and creates them again (deliver all), then starts them.
   */
  async rewindConsumers(reset: (tx: TypeOrmTx) => Promise<void>): Promise<void> {
    await Promise.all(this.consumers.map((c) => c.stop()));
    try {
      await new TypeOrmTransactor(this.dataSource).transaction(reset);
      for (const consumer of this.consumers) await consumer.delete();
      for (const consumer of this.consumers) await consumer.ensure();
    } finally {
      for (const consumer of this.consumers) consumer.start();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([this.relay?.stop(), ...this.consumers.map((c) => c.stop())]);
  }
}

@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    const config = loadMessagingConfig();
    return {
      module: MessagingModule,
      global: true,
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        { provide: MESSAGING_CONFIG, useValue: config },
        { provide: Topology, useValue: new Topology(config.prefix) },
        { provide: ContractRegistry, useValue: new ContractRegistry(options.contracts ?? []) },
        {
          provide: Outbox,
          inject: [SERVICE_CONFIG, ContractRegistry],
          useFactory: (service: ServiceConfig, contracts: ContractRegistry) => new Outbox(service.service.schemas[0] as string, contracts),
        },
        MessagingRuntime,
      ],
      exports: [Outbox, Topology, ContractRegistry, MessagingRuntime],
    };
  }
}
