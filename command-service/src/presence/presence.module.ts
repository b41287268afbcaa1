import { Module, type DynamicModule } from '@nestjs/common';
import { PresenceController, type PresenceDependencies } from './presence.controller.js';
import { PRESENCE_DEPENDENCIES } from './presence.grpc.js';

/** `flowledger.modeling.v1.PresenceService`; its hub is built in main.ts and passed in. */
@Module({})
export class PresenceModule {
  static forRoot(dependencies: PresenceDependencies): DynamicModule {
    return {
      module: PresenceModule,
      controllers: [PresenceController],
      providers: [{ provide: PRESENCE_DEPENDENCIES, useValue: dependencies }],
    };
  }
}
