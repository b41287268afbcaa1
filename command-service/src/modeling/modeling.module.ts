import { Module, type DynamicModule } from '@nestjs/common';
import { ModelingController, type ModelingDependencies } from './modeling.controller.js';
import { MODELING_DEPENDENCIES } from './modeling.grpc.js';

/** `flowledger.modeling.v1.ModelingService`; its adapters are built in main.ts and passed in. */
@Module({})
export class ModelingModule {
  static forRoot(dependencies: ModelingDependencies): DynamicModule {
    return {
      module: ModelingModule,
      controllers: [ModelingController],
      providers: [{ provide: MODELING_DEPENDENCIES, useValue: dependencies }],
    };
  }
}
