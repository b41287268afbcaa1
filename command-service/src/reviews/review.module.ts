import { Module, type DynamicModule } from '@nestjs/common';
import { ReviewController, type ReviewDependencies } from './review.controller.js';
import { REVIEW_DEPENDENCIES } from './review.grpc.js';

/** `flowledger.modeling.v1.ReviewService`; its adapters are built in main.ts and passed in. */
@Module({})
export class ReviewModule {
  static forRoot(dependencies: ReviewDependencies): DynamicModule {
    return {
      module: ReviewModule,
      controllers: [ReviewController],
      providers: [{ provide: REVIEW_DEPENDENCIES, useValue: dependencies }],
    };
  }
}
