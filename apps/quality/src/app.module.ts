import { DynamicModule, Logger, Module } from '@nestjs/common';
import { MessagingModule } from '@olist/messaging';
import { FEED_KEY_RING } from '@olist/pii';
import { QUALITY_CONTRACTS } from '@olist/quality-contracts';
import { rawFeedSealing } from '@olist/quality-infrastructure';
import { ServiceKitModule, ServiceModuleContext, loadPiiCipher } from '@olist/service-kit';
import { LoadsController } from './loads.controller';
import { QUALITY_MIGRATIONS } from './migrations';

@Module({})
export class QualityAppModule {
  static register(context: ServiceModuleContext): DynamicModule {
    // The personal columns of the customers and reviews feeds are sealed as they leave the outbox.
    const feedCipher = loadPiiCipher(FEED_KEY_RING, process.env, new Logger('FeedPii'));
    return {
      module: QualityAppModule,
      imports: [
        ServiceKitModule.forRoot({ ...context, migrations: QUALITY_MIGRATIONS }),
        MessagingModule.forRoot({ contracts: QUALITY_CONTRACTS, publishes: ['quality', 'import'], relayTransforms: rawFeedSealing(feedCipher) }),
      ],
      controllers: [LoadsController],
    };
  }
}
