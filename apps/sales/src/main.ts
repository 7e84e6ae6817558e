import 'reflect-metadata';
import { runService } from '@olist/service-kit';
import { SalesAppModule } from './app.module';

runService('sales', (context) => SalesAppModule.register(context));
