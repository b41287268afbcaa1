import { Module, type DynamicModule } from '@nestjs/common';
import { HealthModule } from './health/health.module.js';
import type { ModelingDependencies } from './modeling/modeling.controller.js';
import { ModelingModule } from './modeling/modeling.module.js';
import type { PresenceDependencies } from './presence/presence.controller.js';
import { PresenceModule } from './presence/presence.module.js';
import type { ReviewDependencies } from './reviews/review.controller.js';
import { ReviewModule } from './reviews/review.module.js';

@Module({})
export class AppModule {
  static forRoot(
    modeling: ModelingDependencies,
    presence: PresenceDependencies,
    review: ReviewDependencies,
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        HealthModule,
        ModelingModule.forRoot(modeling),
        PresenceModule.forRoot(presence),
        ReviewModule.forRoot(review),
      ],
    };
  }
}
