import { Module } from '@nestjs/common';
import { HealthController } from './health.controller.js';
import { SERVING_STATUS_BOARD } from './health.grpc.js';
import { ServingStatusBoard } from './serving-status-board.js';

/** The standard gRPC health service; other features mark their own services on the exported board. */
@Module({
  controllers: [HealthController],
  providers: [{ provide: SERVING_STATUS_BOARD, useValue: new ServingStatusBoard({ '': 'SERVING' }) }],
  exports: [SERVING_STATUS_BOARD],
})
export class HealthModule {}
