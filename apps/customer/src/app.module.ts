import { DynamicModule, Logger, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { CUSTOMER_CONTRACTS } from '@olist/customer-contracts';
import { CustomerImportHandler, PiiCipher } from '@olist/customer-infrastructure';
import { DurableConsumerSpec, MessagingModule, Outbox, TypeOrmTx } from '@olist/messaging';
import { IMPORT_CONTRACTS, IMPORT_SUBJECTS } from '@olist/quality-contracts';
import { ServiceKitModule, ServiceModuleContext } from '@olist/service-kit';
import { CustomerController } from './customer.controller';
import { CUSTOMER_MIGRATIONS } from './migrations';

/**
 * One durable consumer per raw-feed file customer reads (nats-server 2.9 allows one filter
 * subject per consumer). Both share one handler, whose transactions take one advisory lock, so
 * they never write the same person concurrently.
 */
const CUSTOMER_IMPORT_CONSUMERS = [
  { name: 'customer-import-customers', subject: IMPORT_SUBJECTS.customers },
  { name: 'customer-import-reviews', subject: IMPORT_SUBJECTS.order_reviews },
] as const;

function customerConsumers(cipher: PiiCipher) {
  return (moduleRef: ModuleRef): DurableConsumerSpec<TypeOrmTx>[] => {
    const handler = new CustomerImportHandler(moduleRef.get(Outbox, { strict: false }), cipher);
    const logger = new Logger('CustomerImport');
    return CUSTOMER_IMPORT_CONSUMERS.map(({ name, subject }) => ({
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
  };
}

@Module({})
export class CustomerAppModule {
  static register(context: ServiceModuleContext): DynamicModule {
    const cipher = PiiCipher.fromEnv(process.env, new Logger('CustomerPii'));
    return {
      module: CustomerAppModule,
      imports: [
        ServiceKitModule.forRoot({ ...context, migrations: CUSTOMER_MIGRATIONS }),
        MessagingModule.forRoot({ contracts: [...CUSTOMER_CONTRACTS, ...IMPORT_CONTRACTS], publishes: ['customer'], consumers: customerConsumers(cipher) }),
      ],
      controllers: [CustomerController],
      providers: [{ provide: PiiCipher, useValue: cipher }],
    };
  }
}
