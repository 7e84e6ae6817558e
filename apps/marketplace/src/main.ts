import 'reflect-metadata';
import { runService } from '@olist/service-kit';
import { MarketplaceAppModule } from './app.module';

runService('marketplace', (context) => MarketplaceAppModule.register(context));
