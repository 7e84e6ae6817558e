import { DynamicModule, Logger, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CUSTOMER_CONTRACTS } from '@olist/customer-contracts';
import { CUSTOMER_PII_KEY_RING, CustomerImportHandler, loadSegmentConfig, PiiCipher, SalesEventsHandler, SegmentRecomputer } from '@olist/customer-infrastructure';
import { DurableConsumerSpec, MessagingModule, Outbox, TypeOrmTx } from '@olist/messaging';
import { IMPORT_CONTRACTS, IMPORT_SUBJECTS } from '@olist/quality-contracts';
import { SALES_CONTRACTS, SALES_SUBJECTS } from '@olist/sales-contracts';
import { FEED_KEY_RING } from '@olist/pii';
import { ServiceKitModule, ServiceModuleContext, loadPiiCipher } from '@olist/service-kit';
import { CustomerController } from './customer.controller';
import { CUSTOMER_MIGRATIONS } from './migrations';
import { SEGMENT_SCHEDULE, type SegmentSchedule, SegmentRecomputeScheduler } from './segment-recompute.scheduler';

/**
 * One durable consumer per raw-feed file customer reads (nats-server 2.9 allows one filter
 * subject per consumer). Both share one handler, whose transactions take one advisory lock, so
 * they never write the same person concurrently.
 */
const CUSTOMER_IMPORT_CONSUMERS = [
  { name: 'customer-import-customers', subject: IMPORT_SUBJECTS.customers },
  { name: 'customer-import-reviews', subject: IMPORT_SUBJECTS.order_reviews },
] as const;

/**
 * The sales events customer reads through its ACL, one durable consumer per subject. Their
 * handler only upserts order facts and marks the segments dirty; the recomputer does the rest.
 */
const CUSTOMER_SALES_CONSUMERS = [
  { name: 'customer-sales-order-placed', subject: SALES_SUBJECTS.ORDER_PLACED_V1 },
  { name: 'customer-sales-order-cancelled', subject: SALES_SUBJECTS.ORDER_CANCELLED_V1 },
] as const;

function customerConsumers(cipher: PiiCipher, feed: PiiCipher) {
  return (moduleRef: ModuleRef): DurableConsumerSpec<TypeOrmTx>[] => {
    const handler = new CustomerImportHandler(moduleRef.get(Outbox, { strict: false }), cipher, feed);
    const sales = new SalesEventsHandler();
    const logger = new Logger('CustomerImport');
    const salesConsumers: DurableConsumerSpec<TypeOrmTx>[] = CUSTOMER_SALES_CONSUMERS.map(({ name, subject }) => ({
      name,
      stream: 'sales',
      subjects: [subject],
      batchSize: 500,
      handler: async (messages, tx) => {
        await sales.handle(messages, tx);
      },
    }));
    const importConsumers: DurableConsumerSpec<TypeOrmTx>[] = CUSTOMER_IMPORT_CONSUMERS.map(({ name, subject }) => ({
      name,
      stream: 'import',
      subjects: [subject],
      // Raw-feed messages carry up to 500 rows each: 20 of them make a transaction of at most 10,000 rows.
      batchSize: 20,
      handler: async (messages, tx) => {
        const outcome = await handler.handle(messages, tx);
        if (outcome.refused > 0) logger.warn(`${name}: ${outcome.refused} rows refused (see customer.import_exceptions)`);
      },
    }));
    return [...importConsumers, ...salesConsumers];
  };
}

@Module({})
export class CustomerAppModule {
  static register(context: ServiceModuleContext): DynamicModule {
    const cipher = loadPiiCipher(CUSTOMER_PII_KEY_RING, process.env, new Logger('CustomerPii'));
    const feed = loadPiiCipher(FEED_KEY_RING, process.env, new Logger('FeedPii'));
    const segments = loadSegmentConfig(process.env);
    return {
      module: CustomerAppModule,
      imports: [
        ServiceKitModule.forRoot({ ...context, migrations: CUSTOMER_MIGRATIONS }),
        MessagingModule.forRoot({
          contracts: [...CUSTOMER_CONTRACTS, ...IMPORT_CONTRACTS, ...SALES_CONTRACTS],
          publishes: ['customer'],
          consumers: customerConsumers(cipher, feed),
        }),
      ],
      controllers: [CustomerController],
      providers: [
        { provide: PiiCipher, useValue: cipher },
        {
          provide: SEGMENT_SCHEDULE,
          inject: [Outbox],
          useFactory: (outbox: Outbox): SegmentSchedule => ({
            recomputer: new SegmentRecomputer(outbox, { asOf: segments.asOf }),
            salesConsumers: CUSTOMER_SALES_CONSUMERS.map((c) => c.name),
          }),
        },
        SegmentRecomputeScheduler,
      ],
    };
  }
}
