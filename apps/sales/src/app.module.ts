import { DynamicModule, Logger, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DurableConsumerSpec, MessagingModule, Outbox, TypeOrmTx } from '@olist/messaging';
import { IMPORT_CONTRACTS, IMPORT_SUBJECTS } from '@olist/quality-contracts';
import { SALES_CONTRACTS } from '@olist/sales-contracts';
import { SalesImportHandler } from '@olist/sales-infrastructure';
import { ServiceKitModule, ServiceModuleContext } from '@olist/service-kit';
import { SALES_MIGRATIONS } from './migrations';
import { OrdersController } from './orders.controller';

/**
 * One durable consumer per raw-feed file sales reads: nats-server 2.9 allows one filter subject per
 * consumer, and filtering `olist.import.>` would make sales fetch and acknowledge every other file
 * (geolocation alone is larger than the three sales files). The three share one handler, which
 * serialises its transactions, so the order files arrive in is irrelevant.
 */
const SALES_IMPORT_CONSUMERS = [
  { name: 'sales-import-orders', subject: IMPORT_SUBJECTS.orders },
  { name: 'sales-import-items', subject: IMPORT_SUBJECTS.order_items },
  { name: 'sales-import-payments', subject: IMPORT_SUBJECTS.order_payments },
] as const;

function salesConsumers(moduleRef: ModuleRef): DurableConsumerSpec<TypeOrmTx>[] {
  const handler = new SalesImportHandler(moduleRef.get(Outbox, { strict: false }));
  const logger = new Logger('SalesImport');
  return SALES_IMPORT_CONSUMERS.map(({ name, subject }) => ({
    name,
    stream: 'import',
    subjects: [subject],
    // Raw-feed messages carry up to 500 rows each: 20 of them make a transaction of at most 10,000 rows.
    batchSize: 20,
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
