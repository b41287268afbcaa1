import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import pg from 'pg';
import { onSerializationMismatch } from '@flowledger/bpmn-operations';
import { createAuditCodec, createEventCodec } from '@flowledger/events';
import { createKafkaAdmin, createKafkaPartitionReader, createKafkaProducer } from '@flowledger/kafka';
import { createLedger, createOutboxPublisher, migrateLedger } from '@flowledger/ledger';
import { serveMetrics } from '@flowledger/metrics';
import { PROTO_LOADER_OPTIONS } from '@flowledger/protos';
import { rememberVerified, verifyToken } from '@flowledger/oidc';
import { createSnapshotSource, createSnapshotStore } from '@flowledger/snapshotter/reader';
import { AppModule } from './app.module.js';
import { loadCommandServiceConfig } from './config/command-service.config.js';
import { HEALTH_GRPC } from './health/health.grpc.js';
import { DiagramWorkspace } from './modeling/diagram-workspace.js';
import { createLedgerAdapter, listenForChanges } from './modeling/ledger.adapter.js';
import { MODELING_GRPC } from './modeling/modeling.grpc.js';
import { ChangeFeed } from './modeling/queries/change-feed.js';
import { DiagramQueries } from './modeling/queries/diagram-queries.js';
import { inProcessEngine } from './modeling/operations/in-process-engine.js';
import { createSidecarEngine } from './modeling/operations/sidecar-engine.js';
import { createProposalValidation } from './modeling/validation/proposal-validation.js';
import { XsdValidatorClient } from './modeling/validation/xsd-validator.client.js';
import { XsdValidatorSocketClient } from './modeling/validation/xsd-validator.socket-client.js';
import type { XsdValidator } from './modeling/validation/xsd-validator.js';
import { logger } from './observability/logger.js';
import { registry } from './observability/metrics.js';
import { PRESENCE_GRPC } from './presence/presence.grpc.js';
import { DEFAULT_PRESENCE_SETTINGS } from './presence/presence-hub.js';
import { startPresence } from './presence/presence-fanout.js';
import { propose, type ProposeDependencies } from './modeling/proposals/propose.handler.js';
import { createAuditPublisher } from './reviews/audit-publisher.js';
import { ReviewCommands } from './reviews/review-commands.js';
import { createReviewGate } from './reviews/review-gate.js';
import { migrateReviews } from './reviews/review-migrations.js';
import { createPostgresReviewStore } from './reviews/review-store.postgres.js';
import { REVIEW_GRPC } from './reviews/review.grpc.js';

// The composition root: every adapter is built here, once, and handed to the modules.
const config = loadCommandServiceConfig();
onSerializationMismatch((details) =>
  logger.error(details, 'incremental serialization differed from the whole document (a change was not marked)'),
);
const { stack } = config;
const clientId = `command-service-${process.pid}`;

const pool = new pg.Pool({ connectionString: stack.postgres.url, max: 20 });
pool.on('error', (error) => logger.warn({ err: error }, 'idle Postgres connection failed'));
await migrateLedger(pool);
await migrateReviews(pool);

const kafka = { brokers: stack.kafka.brokers, clientId };
const producer = createKafkaProducer(kafka);
const admin = createKafkaAdmin(kafka);
const publisher = createOutboxPublisher({
  pool,
  codec: createEventCodec({ registryUrl: stack.schemaRegistry.url }),
  producer,
  reader: createKafkaPartitionReader(kafka),
  admin,
  partitions: config.topicPartitions,
});
// Recovery: whatever was committed but not published (a crash, a Kafka outage) goes out in order.
const relay = publisher.startRelay({
  intervalMs: 1_000,
  onSweep: (result) => {
    for (const f of result.failures)
      logger.warn({ tenant_id: f.tenantId, diagram_id: f.diagramId, err: f.error }, 'relay could not publish');
  },
});

const feed = new ChangeFeed();
const changes = listenForChanges(stack.postgres.url, feed);
const ledger = createLedgerAdapter(createLedger({ pool }), publisher, feed);
const presence = startPresence({
  pool,
  databaseUrl: stack.postgres.url,
  settings: DEFAULT_PRESENCE_SETTINGS,
  now: () => Date.now(),
});
// An editor's token comes with every proposal: its signature is checked once, until it expires.
const verify = rememberVerified((jwt) => verifyToken(jwt, { issuer: stack.oidc.issuer, audience: 'flowledger' }));
// validator-py's local socket when the stack config names one (it skips grpcio's thread hand-offs), else gRPC.
const { socketPath } = stack.validator;
const xsd: XsdValidator = socketPath
  ? new XsdValidatorSocketClient({ path: socketPath, protoDir: config.protoDir })
  : new XsdValidatorClient(stack.validator.address, config.protoDir);
logger.info(
  { transport: xsd.transport, endpoint: socketPath ?? stack.validator.address },
  `XSD validator over ${socketPath ? `unix:${socketPath}` : `gRPC ${stack.validator.address}`}`,
);
if (socketPath && !existsSync(socketPath)) {
  logger.warn(
    { socket: socketPath },
    'no validator socket yet: XSD calls fail (UNAVAILABLE) until validator-py serves it',
  );
}
const sidecar =
  config.moddleMode === 'sidecar' ? createSidecarEngine(stack.moddle.address, config.protoDir) : undefined;
const proposals: ProposeDependencies = {
  ledger,
  engine: sidecar ?? inProcessEngine,
  validation: createProposalValidation(xsd, config.lintPerTenant),
  workspace: new DiagramWorkspace(),
  settings: config.modeling,
  now: () => new Date(),
  snapshots: createSnapshotSource(createSnapshotStore(pool)),
};
// Agents with a human in the loop (src/reviews): the audit table is the audit topic's outbox.
const audit = createAuditPublisher({
  pool,
  codec: createAuditCodec({ registryUrl: stack.schemaRegistry.url }),
  producer,
  admin,
  partitions: config.topicPartitions,
  onError: (error, tenantId) => logger.warn({ err: error, tenant_id: tenantId }, 'audit entries not published yet'),
});
const auditRelay = audit.startRelay({
  intervalMs: 5_000,
  onError: (error) => logger.warn({ err: error }, 'audit relay sweep failed'),
});
const reviewStore = createPostgresReviewStore(pool);
const reviewAdapters = {
  store: reviewStore,
  published: (tenantId: string) => audit.schedule(tenantId),
  now: () => new Date(),
  newId: () => randomUUID(),
};

const app = await NestFactory.createMicroservice<MicroserviceOptions>(
  AppModule.forRoot(
    {
      ...proposals,
      review: createReviewGate({ ...reviewAdapters, policy: config.agentReviewPolicy, ledger }),
      newDiagramId: () => randomUUID(),
      queries: new DiagramQueries(ledger, feed, config.subscribePollMs),
      verifyToken: verify,
    },
    {
      hub: presence.hub,
      verifyToken: verify,
      diagramExists: async (tenantId, diagramId) => (await ledger.currentVersion(tenantId, diagramId)) !== undefined,
    },
    {
      // An approved proposal goes through the write path again, without the review hook.
      commands: new ReviewCommands({
        ...reviewAdapters,
        propose: (caller, command) => propose(caller, command, proposals),
        currentVersion: (tenantId, diagramId) => ledger.currentVersion(tenantId, diagramId),
      }),
      verifyToken: verify,
    },
  ),
  {
    // Colour codes only on a terminal; the stack runner writes this output to var/log.
    logger: new ConsoleLogger({ colors: process.stdout.isTTY === true }),
    transport: Transport.GRPC,
    options: {
      url: config.grpc.bindAddress,
      // Above the XML cap (grpc-js defaults to 4 MiB), so an oversize document reaches the limits
      // check and is refused as LIMIT_EXCEEDED naming the limit, not by the transport.
      maxReceiveMessageLength: 2 * config.modeling.limits.maxXmlBytes + 1024 * 1024,
      // Presence shares the modeling package: each package once, or its services register twice.
      package: [...new Set([HEALTH_GRPC, MODELING_GRPC, PRESENCE_GRPC, REVIEW_GRPC].map((s) => s.package))],
      protoPath: [HEALTH_GRPC, MODELING_GRPC, PRESENCE_GRPC, REVIEW_GRPC].map((s) =>
        join(config.protoDir, s.protoFile),
      ),
      loader: { ...PROTO_LOADER_OPTIONS, includeDirs: [config.protoDir] },
    },
  },
);
app.enableShutdownHooks();
await app.listen();
const metrics = await serveMetrics(registry, config.metrics.port);
new Logger('CommandService').log(
  `gRPC listening on ${config.grpc.bindAddress}, metrics on :${config.metrics.port}/metrics, operations ${config.moddleMode}`,
);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void (async () => {
      await app.close();
      metrics.close();
      await relay.stop();
      await auditRelay.stop();
      await changes.stop();
      await presence.stop();
      xsd.close();
      sidecar?.close();
      await pool.end();
      process.exit(0);
    })();
  });
}
