import { DynamicModule, Logger, Module } from '@nestjs/common';
import { CUSTOMER_CONTRACTS, CUSTOMER_STREAM_SUBJECTS } from '@olist/customer-contracts';
import { FULFILLMENT_CONTRACTS, FULFILLMENT_STREAM_SUBJECTS } from '@olist/fulfillment-contracts';
import { MARKETPLACE_CONTRACTS, MARKETPLACE_STREAM_SUBJECTS } from '@olist/marketplace-contracts';
import { DurableConsumerSpec, MessagingModule, StreamContext, TypeOrmTx } from '@olist/messaging';
import { IMPORT_SUBJECTS, QUALITY_CONTRACTS, QUALITY_STREAM_SUBJECTS } from '@olist/quality-contracts';
import { SALES_CONTRACTS, SALES_STREAM_SUBJECTS } from '@olist/sales-contracts';
import { ServiceKitModule, ServiceModuleContext } from '@olist/service-kit';
import { WarehouseProjector } from '@olist/warehouse-infrastructure';
import { MartRefreshService, WAREHOUSE_GEOLOCATION_CONSUMER } from './mart-refresh.service';
import { WAREHOUSE_MIGRATIONS } from './migrations';
import { WarehouseController } from './warehouse.controller';

/**
 * One durable consumer per context stream (a wildcard filter is one filter subject, which
 * nats-server 2.9 allows), plus the public geolocation feed for dim_geolocation. They share one
 * projector; each event type writes its own columns, so the streams may be applied in any order.
 */
const WAREHOUSE_CONSUMERS: readonly { name: string; stream: StreamContext; subject: string; batchSize: number }[] = [
  { name: 'warehouse-sales', stream: 'sales', subject: SALES_STREAM_SUBJECTS, batchSize: 100 },
  { name: 'warehouse-fulfillment', stream: 'fulfillment', subject: FULFILLMENT_STREAM_SUBJECTS, batchSize: 100 },
  { name: 'warehouse-marketplace', stream: 'marketplace', subject: MARKETPLACE_STREAM_SUBJECTS, batchSize: 100 },
  { name: 'warehouse-customer', stream: 'customer', subject: CUSTOMER_STREAM_SUBJECTS, batchSize: 100 },
  { name: 'warehouse-quality', stream: 'quality', subject: QUALITY_STREAM_SUBJECTS, batchSize: 100 },
  // Raw-feed messages carry up to 500 rows each: 20 of them make a transaction of at most 10,000 points.
  { name: WAREHOUSE_GEOLOCATION_CONSUMER, stream: 'import', subject: IMPORT_SUBJECTS.geolocation, batchSize: 20 },
];

function warehouseConsumers(): DurableConsumerSpec<TypeOrmTx>[] {
  const projector = new WarehouseProjector();
  const logger = new Logger('WarehouseProjection');
  return WAREHOUSE_CONSUMERS.map(({ name, stream, subject, batchSize }) => ({
    name,
    stream,
    subjects: [subject],
    batchSize,
    handler: async (messages, tx) => {
      const outcome = await projector.apply(messages, tx);
      if (outcome.geolocationRefused > 0) logger.warn(`${name}: ${outcome.geolocationRefused} geolocation rows left out of dim_geolocation`);
    },
  }));
}

@Module({})
export class WarehouseAppModule {
  static register(context: ServiceModuleContext): DynamicModule {
    return {
      module: WarehouseAppModule,
      imports: [
        ServiceKitModule.forRoot({ ...context, migrations: WAREHOUSE_MIGRATIONS }),
        MessagingModule.forRoot({
          contracts: [...SALES_CONTRACTS, ...FULFILLMENT_CONTRACTS, ...MARKETPLACE_CONTRACTS, ...CUSTOMER_CONTRACTS, ...QUALITY_CONTRACTS],
          publishes: [],
          consumers: warehouseConsumers,
        }),
      ],
      controllers: [WarehouseController],
      providers: [MartRefreshService],
    };
  }
}
