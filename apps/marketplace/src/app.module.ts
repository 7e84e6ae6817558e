import { DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@olist/messaging';
import { MARKETPLACE_CONTRACTS } from '@olist/marketplace-contracts';
import { ServiceKitModule, ServiceModuleContext } from '@olist/service-kit';
import { MARKETPLACE_MIGRATIONS } from './migrations';

@Module({})
export class MarketplaceAppModule {
  static register(context: ServiceModuleContext): DynamicModule {
    return {
      module: MarketplaceAppModule,
      imports: [
        ServiceKitModule.forRoot({ ...context, migrations: MARKETPLACE_MIGRATIONS }),
        MessagingModule.forRoot({ contracts: MARKETPLACE_CONTRACTS, publishes: ['marketplace'] }),
      ],
    };
  }
}
