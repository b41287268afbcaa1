import 'reflect-metadata';
import { join } from 'node:path';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { AppModule } from './app.module.js';
import { loadCommandServiceConfig } from './config/command-service.config.js';
import { HEALTH_GRPC } from './health/health.grpc.js';

const config = loadCommandServiceConfig();
const grpcServices = [HEALTH_GRPC];

const app = await NestFactory.createMicroservice<MicroserviceOptions>(AppModule, {
  // Colour codes only on a terminal; the stack runner writes this output to var/log.
  logger: new ConsoleLogger({ colors: process.stdout.isTTY === true }),
  transport: Transport.GRPC,
  options: {
    url: config.grpc.bindAddress,
    package: grpcServices.map((s) => s.package),
    protoPath: grpcServices.map((s) => join(config.protoDir, s.protoFile)),
    loader: { includeDirs: [config.protoDir], keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true },
  },
});
app.enableShutdownHooks();
await app.listen();
new Logger('CommandService').log(`gRPC listening on ${config.grpc.bindAddress}`);
