import { DynamicModule, Logger, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DurableConsumerSpec, MessagingModule, Outbox, StartupBackfill, TypeOrmTx } from '@olist/messaging';
import { MARKETPLACE_CONTRACTS } from '@olist/marketplace-contracts';
import { MarketplaceImportHandler } from '@olist/marketplace-infrastructure';
import { IMPORT_CONTRACTS, IMPORT_SUBJECTS } from '@olist/quality-contracts';
import { ServiceKitModule, ServiceModuleContext } from '@olist/service-kit';
import { CatalogController } from './catalog.controller';
import { MARKETPLACE_MIGRATIONS } from './migrations';

/**
 * One durable consumer per raw-feed file marketplace reads: nats-server 2.9 allows one filter
 * subject per consumer, and filtering `olist.import.>` would make marketplace fetch and
 * acknowledge every other file. The three share one handler, which serialises its transactions,
 * so the order files arrive in is irrelevant.
 */
const MARKETPLACE_IMPORT_CONSUMERS = [
  { name: 'marketplace-import-products', subject: IMPORT_SUBJECTS.products },
  { name: 'marketplace-import-sellers', subject: IMPORT_SUBJECTS.sellers },
  { name: 'marketplace-import-categories', subject: IMPORT_SUBJECTS.category_translation },
] as const;

function marketplaceConsumers(moduleRef: ModuleRef): DurableConsumerSpec<TypeOrmTx>[] {
  const handler = new MarketplaceImportHandler(moduleRef.get(Outbox, { strict: false }));
  const logger = new Logger('MarketplaceImport');
  return MARKETPLACE_IMPORT_CONSUMERS.map(({ name, subject }) => ({
    name,
    stream: 'import',
    subjects: [subject],
    // Raw-feed messages carry up to 500 rows each: 20 of them make a transaction of at most 10,000 rows.
    batchSize: 20,
    handler: async (messages, tx) => {
      const outcome = await handler.handle(messages, tx);
      if (outcome.refused > 0) logger.warn(`${name}: ${outcome.refused} rows refused (see marketplace.import_exceptions)`);
    },
  }));
}

@Module({})
export class MarketplaceAppModule {
  static register(context: ServiceModuleContext): DynamicModule {
    return {
      module: MarketplaceAppModule,
      imports: [
        ServiceKitModule.forRoot({ ...context, migrations: MARKETPLACE_MIGRATIONS }),
        MessagingModule.forRoot({ contracts: [...MARKETPLACE_CONTRACTS, ...IMPORT_CONTRACTS], publishes: ['marketplace'], consumers: marketplaceConsumers }),
      ],
      controllers: [CatalogController],
      providers: [
        // Translations stored before the stream was told of them get their category-translated.
        StartupBackfill.provider('English category names stored before category-translated existed', (outbox) => {
          const handler = new MarketplaceImportHandler(outbox);
          return async (tx) => ({ done: await handler.tellUntoldTranslations(tx), last: null });
        }),
      ],
    };
  }
}
