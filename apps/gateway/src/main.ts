import 'reflect-metadata';
import { runService } from '@olist/service-kit';
import { GatewayAppModule } from './app.module';

runService('gateway', (context) => GatewayAppModule.register(context));
