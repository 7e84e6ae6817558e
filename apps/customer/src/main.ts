import 'reflect-metadata';
import { runService } from '@olist/service-kit';
import { CustomerAppModule } from './app.module';

runService('customer', (context) => CustomerAppModule.register(context));
