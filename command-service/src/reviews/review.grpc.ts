/** `flowledger.modeling.v1.ReviewService` (schemas/proto/.../review.proto) as this service loads it. */
export const REVIEW_GRPC = { package: 'flowledger.modeling.v1', protoFile: 'flowledger/modeling/v1/review.proto' };

export const REVIEW_DEPENDENCIES = Symbol('REVIEW_DEPENDENCIES');
