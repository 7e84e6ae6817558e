import { DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@olist/messaging';
import { CUSTOMER_CONTRACTS } from '@olist/customer-contracts';
import { ServiceKitModule, ServiceModuleContext } from '@olist/service-kit';
import { CUSTOMER_MIGRATIONS } from './migrations';

@Module({})
export class CustomerAppModule {
  static register(context: ServiceModuleContext): DynamicModule {
    return {
      module: CustomerAppModule,
      imports: [
        ServiceKitModule.forRoot({ ...context, migrations: CUSTOMER_MIGRATIONS }),
        MessagingModule.forRoot({ contracts: CUSTOMER_CONTRACTS, publishes: ['customer'] }),
      ],
    };
  }
}
