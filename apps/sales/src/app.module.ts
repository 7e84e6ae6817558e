import { DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@olist/messaging';
import { ServiceKitModule, ServiceModuleContext } from '@olist/service-kit';
import { SALES_MIGRATIONS } from './migrations';

@Module({})
export class SalesAppModule {
  static register(context: ServiceModuleContext): DynamicModule {
    return {
      module: SalesAppModule,
      imports: [
        ServiceKitModule.forRoot({ ...context, migrations: SALES_MIGRATIONS }),
        MessagingModule.forRoot({ publishes: ['sales'] }),
      ],
    };
  }
}
