import { DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@olist/messaging';
import { SALES_CONTRACTS } from '@olist/sales-contracts';
import { ServiceKitModule, ServiceModuleContext } from '@olist/service-kit';
import { SALES_MIGRATIONS } from './migrations';

@Module({})
export class SalesAppModule {
  static register(context: ServiceModuleContext): DynamicModule {
    return {
      module: SalesAppModule,
      imports: [
        ServiceKitModule.forRoot({ ...context, migrations: SALES_MIGRATIONS }),
        MessagingModule.forRoot({ contracts: SALES_CONTRACTS, publishes: ['sales'] }),
      ],
    };
  }
}
