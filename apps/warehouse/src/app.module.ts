import { DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@olist/messaging';
import { ServiceKitModule, ServiceModuleContext } from '@olist/service-kit';
import { WAREHOUSE_MIGRATIONS } from './migrations';

@Module({})
export class WarehouseAppModule {
  static register(context: ServiceModuleContext): DynamicModule {
    return {
      module: WarehouseAppModule,
      imports: [
        ServiceKitModule.forRoot({ ...context, migrations: WAREHOUSE_MIGRATIONS }),
        MessagingModule.forRoot({ publishes: [] }),
      ],
    };
  }
}
