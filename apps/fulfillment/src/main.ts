import 'reflect-metadata';
import { runService } from '@olist/service-kit';
import { FulfillmentAppModule } from './app.module';

runService('fulfillment', (context) => FulfillmentAppModule.register(context));
