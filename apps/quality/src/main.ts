import 'reflect-metadata';
import { runService } from '@olist/service-kit';
import { QualityAppModule } from './app.module';

runService('quality', (context) => QualityAppModule.register(context));
