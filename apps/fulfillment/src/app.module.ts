import { DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@olist/messaging';
import { FULFILLMENT_CONTRACTS } from '@olist/fulfillment-contracts';
import { ServiceKitModule, ServiceModuleContext } from '@olist/service-kit';
import { FULFILLMENT_MIGRATIONS } from './migrations';

@Module({})
export class FulfillmentAppModule {
  static register(context: ServiceModuleContext): DynamicModule {
    return {
      module: FulfillmentAppModule,
      imports: [
        ServiceKitModule.forRoot({ ...context, migrations: FULFILLMENT_MIGRATIONS }),
        MessagingModule.forRoot({ contracts: FULFILLMENT_CONTRACTS, publishes: ['fulfillment'] }),
      ],
    };
  }
}
