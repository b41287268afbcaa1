import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from './health/health.module.js';
import type { ModelingDependencies } from './modeling/modeling.controller.js';
import { ModelingModule } from './modeling/modeling.module.js';

@Module({})
export class AppModule {
  static forRoot(modeling: ModelingDependencies): DynamicModule {
    return { module: AppModule, imports: [HealthModule, ModelingModule.forRoot(modeling)] };
  }
}
