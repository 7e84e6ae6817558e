import { DynamicModule, Module } from '@nestjs/common';
import { MessagingModule } from '@olist/messaging';
import { QUALITY_CONTRACTS } from '@olist/quality-contracts';
import { ServiceKitModule, ServiceModuleContext } from '@olist/service-kit';
import { LoadsController } from './loads.controller';
import { QUALITY_MIGRATIONS } from './migrations';

@Module({})
export class QualityAppModule {
  static register(context: ServiceModuleContext): DynamicModule {
    return {
      module: QualityAppModule,
      imports: [
        ServiceKitModule.forRoot({ ...context, migrations: QUALITY_MIGRATIONS }),
        MessagingModule.forRoot({ contracts: QUALITY_CONTRACTS, publishes: ['quality', 'import'] }),
      ],
      controllers: [LoadsController],
    };
  }
}
