/**
 * `flowledger backup|restore|rebuild|verify` — the recovery verbs (README, "For SREs").
 * Progress bars go to stderr; the result (a summary, or JSON with --json) to stdout.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import pg from 'pg';
import type { StackConfig } from '@flowledger/config';
import { createAuditCodec } from '@flowledger/events';
import { createKafkaAdmin, createKafkaPartitionReader, createKafkaProducer } from '@flowledger/kafka';
import { backupTenant } from './backup/backup.js';
import { createProgress } from './progress-bars.js';
import { parseReadModels } from './read-models.js';
import { rebuildReadModels } from './rebuild/rebuild.js';
import { createRegistryClient } from './registry-client.js';
import { restoreBackup, RestoreRefused } from './restore/restore.js';
import { verifyTenants } from './verify/verify.js';

export const RECOVERY_USAGE = `  backup --tenant T --out DIR      logical backup of a tenant: topics, schemas, ledger, review and audit rows; gzip'd, manifest, SHA256SUMS
  restore --from DIR               into a stack without the tenant: checksums, schemas, topics, ledger, reviews, audit log
  rebuild --read-model postgres|neo4j|snapshots|all [--tenant T] [--from-scratch]
                                   rebuild read models from the streams, each diagram from its latest snapshot
                                   (--from-scratch: every event from version 1)
  verify [--tenant T]              replay every diagram, check hashes, snapshots, topic and read models; non-zero on mismatch`;

export interface RecoveryContext {
  config: StackConfig;
  root: string;
  stdout: { write(text: string): unknown };
  stderr: NodeJS.WriteStream;
}

export async function recoveryCommand(verb: string, args: string[], ctx: RecoveryContext): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      tenant: { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
      'read-model': { type: 'string' },
      'from-scratch': { type: 'boolean' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const kafka = { brokers: ctx.config.kafka.brokers, clientId: `flowledger-${verb}-${process.pid}` };
  const pool = new pg.Pool({ connectionString: ctx.config.postgres.url, max: 4 });
  const progress = createProgress(ctx.stderr);
  const print = (human: string, data: unknown) =>
    ctx.stdout.write(values.json ? `${JSON.stringify(data, null, 2)}\n` : `${human}\n`);
  const closers: Array<() => Promise<void>> = [() => pool.end()];
  try {
    switch (verb) {
      case 'backup': {
        if (!values.tenant || !values.out) return usage(ctx, 'backup needs --tenant T --out DIR');
        const admin = createKafkaAdmin(kafka);
        const reader = createKafkaPartitionReader(kafka);
        closers.push(
          () => admin.close(),
          () => reader.close(),
        );
        const started = performance.now();
        const manifest = await backupTenant(values.tenant, values.out, {
          pool,
          admin,
          reader,
          registry: createRegistryClient(ctx.config.schemaRegistry.url),
          progress,
          tool: { name: 'flowledger', version: toolVersion(ctx.root) },
          now: () => new Date(),
        });
        const records = Object.values(manifest.topics).reduce((n, t) => n + t.records, 0);
        const seconds = (performance.now() - started) / 1000;
        print(
          `backup of ${manifest.tenant} in ${values.out}: ${records} records, ${manifest.schemas.ids.length} schemas, ` +
            `${manifest.ledger.diagrams} diagrams, ${manifest.ledger.events} ledger events, ` +
            `${manifest.reviews?.reviews ?? 0} reviews, ${manifest.reviews?.auditEntries ?? 0} audit entries (${seconds.toFixed(1)} s)`,
          { ...manifest, seconds },
        );
        return 0;
      }
      case 'restore': {
        if (!values.from) return usage(ctx, 'restore needs --from DIR');
        const admin = createKafkaAdmin(kafka);
        const producer = createKafkaProducer(kafka);
        closers.push(
          () => admin.close(),
          () => producer.close(),
        );
        const started = performance.now();
        try {
          const result = await restoreBackup(values.from, {
            pool,
            admin,
            producer,
            registry: createRegistryClient(ctx.config.schemaRegistry.url),
            auditCodec: createAuditCodec({ registryUrl: ctx.config.schemaRegistry.url }),
            progress,
          });
          progress.stop();
          for (const note of result.notes) ctx.stderr.write(`flowledger restore: note: ${note}\n`);
          const seconds = (performance.now() - started) / 1000;
          const records = Object.values(result.records).reduce((n, r) => n + r, 0);
          print(
            `restored ${result.tenant} (${result.format}): ${records} records, ${result.diagrams} diagrams, ` +
              `${result.events} ledger events, ${result.reviews} reviews, ${result.auditEntries} audit entries, ` +
              `schema ids ${JSON.stringify(result.schemaIds)} (${seconds.toFixed(1)} s)`,
            { ...result, seconds },
          );
          return 0;
        } catch (error) {
          if (!(error instanceof RestoreRefused)) throw error;
          progress.stop();
          ctx.stderr.write(`flowledger restore: refused: ${error.message}\n`);
          return 3;
        }
      }
      case 'rebuild': {
        const names = parseReadModels(values['read-model']);
        const fromScratch = values['from-scratch'] === true;
        const report = await rebuildReadModels(names, values.tenant, {
          config: ctx.config,
          pool,
          progress,
          fromScratch,
        });
        const failed = new Set(report.failures.map((f) => f.tenantId));
        print(
          `rebuilt ${names.join(', ')} for ${report.tenants.length - failed.size} tenant(s): ${report.events} events of ${report.diagrams} diagrams ` +
            `(${report.fromSnapshots} started from their latest snapshot, ${report.replayedEvents} events replayed) ` +
            `in ${report.seconds.toFixed(1)} s (${Math.round(report.eventsPerSecond)} events/s)`,
          report,
        );
        if (failed.size === 0) return 0;
        progress.stop();
        // One damaged stream does not hold back the others; the SRE learns which were left and why.
        ctx.stderr.write(
          `flowledger rebuild: ${failed.size} tenant(s) not rebuilt, their read models left as they were` +
            (report.skippedEvents > 0
              ? ` (${report.skippedEvents} later record(s) of theirs read, not replayed)`
              : '') +
            ':\n' +
            report.failures.map((f) => `  ${f.tenantId}: ${f.code}: ${f.message}\n`).join(''),
        );
        return 1;
      }
      case 'verify': {
        const admin = createKafkaAdmin(kafka);
        const reader = createKafkaPartitionReader(kafka);
        closers.push(
          () => admin.close(),
          () => reader.close(),
        );
        const { loadSnapshotterConfig } = await import('@flowledger/snapshotter');
        const report = await verifyTenants(values.tenant, {
          config: ctx.config,
          pool,
          admin,
          reader,
          progress,
          archiveDir: loadSnapshotterConfig().archiveDir,
        });
        const lines = [
          `verified ${report.diagrams} diagrams (${report.events} events) of ${report.tenants.length} tenant(s); ` +
            `read models checked: ${report.readModels.checked.join(', ') || 'none'}`,
          ...Object.entries(report.readModels.skipped).map(([m, why]) => `  skipped ${m}: ${why}`),
          ...report.mismatches.flatMap((m) => [
            `MISMATCH ${m.tenantId}/${m.diagramId} v${m.version}:`,
            ...m.problems.map((p) => `  ${p}`),
          ]),
          ...report.audit.flatMap((a) => [
            `audit log of ${a.tenantId}: ${a.reviews} reviews, ${a.entries} entries (${a.unpublished} not published yet), ` +
              `${a.records} topic records (${a.duplicates} sent twice)`,
            ...(a.problems.length > 0 ? [`MISMATCH ${a.tenantId} audit:`, ...a.problems.map((p) => `  ${p}`)] : []),
          ]),
          report.ok
            ? 'OK: every hash, snapshot, topic record, read model and audit entry agrees'
            : `FAILED: ${report.mismatches.length} diagram(s) with problems${auditFailures(report.audit)}`,
        ];
        print(lines.join('\n'), report);
        return report.ok ? 0 : 1;
      }
      default:
        return usage(ctx, `unknown recovery verb ${verb}`);
    }
  } finally {
    progress.stop();
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}

/** Appended to verify's last line only when an audit log has problems, so the line stays as it was otherwise. */
function auditFailures(audit: Array<{ problems: string[] }>): string {
  const failed = audit.filter((a) => a.problems.length > 0).length;
  return failed > 0 ? `, ${failed} audit log(s) with problems` : '';
}

function usage(ctx: RecoveryContext, problem: string): number {
  ctx.stderr.write(`flowledger: ${problem}\n\n${RECOVERY_USAGE}\n`);
  return 2;
}

function toolVersion(root: string): string {
  try {
    return (JSON.parse(readFileSync(`${root}/cli/package.json`, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
