import 'reflect-metadata';
import { runService } from '@olist/service-kit';
import { WarehouseAppModule } from './app.module';

runService('warehouse', (context) => WarehouseAppModule.register(context));
