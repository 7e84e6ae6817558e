import { DynamicModule, Logger, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { FULFILLMENT_CONTRACTS } from '@olist/fulfillment-contracts';
import { FulfillmentImportHandler } from '@olist/fulfillment-infrastructure';
import { jetstreamManager } from '@nats-io/jetstream';
import { DurableConsumerSpec, MessagingModule, Outbox, StartupBackfill, Topology, TypeOrmTx, whileBacklogShrinks } from '@olist/messaging';
import { FEED_KEY_RING, type PiiCipher } from '@olist/pii';
import { IMPORT_CONTRACTS, IMPORT_SUBJECTS } from '@olist/quality-contracts';
import { NatsConnectionHolder, ServiceKitModule, ServiceModuleContext, loadPiiCipher } from '@olist/service-kit';
import { FULFILLMENT_MIGRATIONS } from './migrations';
import { ShipmentsController } from './shipments.controller';

const GEOLOCATION_CONSUMER = 'fulfillment-import-geolocation';

/**
 * One durable consumer per raw-feed file fulfillment reads: nats-server 2.9 allows one filter
 * subject per consumer. The five share one handler, which serialises its transactions, so the
 * order files arrive in is irrelevant.
 */
const FULFILLMENT_IMPORT_CONSUMERS = [
  { name: 'fulfillment-import-orders', subject: IMPORT_SUBJECTS.orders },
  { name: 'fulfillment-import-customers', subject: IMPORT_SUBJECTS.customers },
  { name: 'fulfillment-import-sellers', subject: IMPORT_SUBJECTS.sellers },
  { name: 'fulfillment-import-items', subject: IMPORT_SUBJECTS.order_items },
  { name: GEOLOCATION_CONSUMER, subject: IMPORT_SUBJECTS.geolocation },
] as const;

/** A geolocation backlog that has not shrunk for this long no longer holds the orders back (a stuck consumer). */
const CENTROIDS_FIRST_MAX_WAIT_MS = 30_000;

/**
 * Whether the orders consumer should wait: the geolocation consumer is working off a backlog that
 * keeps shrinking. Orders applied once the centroids are known settle with their distances, where
 * orders settled before are worked out again when the feed has drained, and those already
 * published announce their distance with one more event each. Arrival order decides cost only,
 * never the outcome; a backlog that has not shrunk for CENTROIDS_FIRST_MAX_WAIT_MS holds nothing back.
 */
function centroidsFirst(moduleRef: ModuleRef): () => Promise<boolean> {
  const nats = moduleRef.get(NatsConnectionHolder, { strict: false });
  const topology = moduleRef.get(Topology, { strict: false });
  return whileBacklogShrinks(() => jetstreamManager(nats.connection), topology.stream('import'), [GEOLOCATION_CONSUMER], CENTROIDS_FIRST_MAX_WAIT_MS);
}

const fulfillmentConsumers = (feed: PiiCipher) => (moduleRef: ModuleRef): DurableConsumerSpec<TypeOrmTx>[] => {
  const handler = new FulfillmentImportHandler(moduleRef.get(Outbox, { strict: false }), feed);
  const logger = new Logger('FulfillmentImport');
  const holdOrders = centroidsFirst(moduleRef);
  return FULFILLMENT_IMPORT_CONSUMERS.map(({ name, subject }) => ({
    name,
    stream: 'import',
    subjects: [subject],
    // Raw-feed messages carry up to 500 rows each: 20 of them make a transaction of at most 10,000 rows.
    batchSize: 20,
    ...(name === 'fulfillment-import-orders' ? { holdBack: holdOrders } : {}),
    handler: async (messages, tx) => {
      const outcome = await handler.handle(messages, tx);
      if (outcome.refused > 0) logger.warn(`${name}: ${outcome.refused} rows refused (see fulfillment.import_exceptions)`);
    },
  }));
};

@Module({})
export class FulfillmentAppModule {
  static register(context: ServiceModuleContext): DynamicModule {
    // Customers' zip prefixes arrive sealed on the raw feed and are stored sealed with the same keys.
    const feed = loadPiiCipher(FEED_KEY_RING, process.env, new Logger('FeedPii'));
    return {
      module: FulfillmentAppModule,
      imports: [
        ServiceKitModule.forRoot({ ...context, migrations: FULFILLMENT_MIGRATIONS }),
        MessagingModule.forRoot({ contracts: [...FULFILLMENT_CONTRACTS, ...IMPORT_CONTRACTS], publishes: ['fulfillment'], consumers: fulfillmentConsumers(feed) }),
      ],
      controllers: [ShipmentsController],
      providers: [
        // Shipments published before fulfillment recorded the distances it announced get theirs.
        StartupBackfill.provider('distances of shipments published before announcements were recorded', (outbox) => {
          const handler = new FulfillmentImportHandler(outbox, feed);
          return async (tx, after) => {
            const { announced, last } = await handler.announceUnannounced(tx, 5_000, after);
            return { done: announced, last };
          };
        }),
      ],
    };
  }
}
