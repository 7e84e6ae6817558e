import { DynamicModule, Logger, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { jetstreamManager } from '@nats-io/jetstream';
import { DurableConsumerSpec, MessagingModule, Outbox, Topology, TypeOrmTx, whileBacklogShrinks } from '@olist/messaging';
import { IMPORT_CONTRACTS, IMPORT_SUBJECTS } from '@olist/quality-contracts';
import { SALES_CONTRACTS } from '@olist/sales-contracts';
import { SalesImportHandler } from '@olist/sales-infrastructure';
import { NatsConnectionHolder, ServiceKitModule, ServiceModuleContext } from '@olist/service-kit';
import { SALES_MIGRATIONS } from './migrations';
import { OrdersController } from './orders.controller';

/**
 * One durable consumer per raw-feed file sales reads: nats-server 2.9 allows one filter subject per
 * consumer, and filtering `olist.import.>` would make sales fetch and acknowledge every other file
 * (geolocation alone is larger than the three sales files). The three share one handler, which
 * serialises its transactions, so any order of arrival ends in the same state.
 */
const SALES_IMPORT_CONSUMERS = [
  { name: 'sales-import-orders', subject: IMPORT_SUBJECTS.orders },
  { name: 'sales-import-items', subject: IMPORT_SUBJECTS.order_items },
  { name: 'sales-import-payments', subject: IMPORT_SUBJECTS.order_payments },
] as const;

const LINE_CONSUMERS = ['sales-import-items', 'sales-import-payments'];

/** A lines backlog that has not shrunk for this long no longer holds the orders back (a stuck consumer). */
const LINES_FIRST_MAX_WAIT_MS = 30_000;

/**
 * Whether the orders consumer should wait: the items and payments consumers are working off a
 * backlog that keeps shrinking. Every order whose lines are already stored is then placed with
 * them — written once, its events in one transaction — where an order placed before its lines is
 * written again, with new events in other transactions, as each of its lines' files arrives.
 * Arrival order decides cost only, never the outcome; a backlog that has not shrunk for
 * LINES_FIRST_MAX_WAIT_MS holds nothing back.
 */
function linesFirst(moduleRef: ModuleRef): () => Promise<boolean> {
  const nats = moduleRef.get(NatsConnectionHolder, { strict: false });
  const topology = moduleRef.get(Topology, { strict: false });
  return whileBacklogShrinks(() => jetstreamManager(nats.connection), topology.stream('import'), LINE_CONSUMERS, LINES_FIRST_MAX_WAIT_MS);
}

function salesConsumers(moduleRef: ModuleRef): DurableConsumerSpec<TypeOrmTx>[] {
  const handler = new SalesImportHandler(moduleRef.get(Outbox, { strict: false }));
  const logger = new Logger('SalesImport');
  const holdOrders = linesFirst(moduleRef);
  return SALES_IMPORT_CONSUMERS.map(({ name, subject }) => ({
    name,
    stream: 'import',
    subjects: [subject],
    // Raw-feed messages carry up to 500 rows each: 20 of them make a transaction of at most 10,000 rows.
    batchSize: 20,
    ...(name === 'sales-import-orders' ? { holdBack: holdOrders } : {}),
    handler: async (messages, tx) => {
      const outcome = await handler.handle(messages, tx);
      if (outcome.rejected > 0) logger.warn(`${name}: ${outcome.rejected} rows refused (see sales.import_rejections)`);
    },
  }));
}

@Module({})
export class SalesAppModule {
  static register(context: ServiceModuleContext): DynamicModule {
    return {
      module: SalesAppModule,
      imports: [
        ServiceKitModule.forRoot({ ...context, migrations: SALES_MIGRATIONS }),
        MessagingModule.forRoot({ contracts: [...SALES_CONTRACTS, ...IMPORT_CONTRACTS], publishes: ['sales'], consumers: salesConsumers }),
      ],
      controllers: [OrdersController],
    };
  }
}
