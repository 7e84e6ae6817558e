import { DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@olist/messaging';
import { ServiceKitModule, ServiceModuleContext } from '@olist/service-kit';
import { GATEWAY_MIGRATIONS } from './migrations';

@Module({})
export class GatewayAppModule {
  static register(context: ServiceModuleContext): DynamicModule {
    return {
      module: GatewayAppModule,
      imports: [
        ServiceKitModule.forRoot({ ...context, migrations: GATEWAY_MIGRATIONS }),
        MessagingModule.forRoot({ publishes: [] }),
      ],
    };
  }
}
