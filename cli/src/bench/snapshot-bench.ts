import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { canonicalHash, parseDiagram, serializeDiagram } from '@flowledger/bpmn-operations';
import { DIAGRAM_EVENT_SCHEMA_VERSION, snapshotsTopic, type DiagramEvent } from '@flowledger/events';
import { createKafkaAdmin } from '@flowledger/kafka';
import { buildSnapshotter, loadSnapshotterConfig } from '@flowledger/snapshotter';
import type { Benchmark } from './benchmark.js';
import { summarizeLatencies, type LatencySummary } from './latency-stats.js';
import { describeMachine, machineInfo, type MachineInfo } from './machine-info.js';

const USAGE = `usage: flowledger bench snapshot [--rounds N] [--json]
  --rounds   snapshots written per MIWG reference model (default 10)
  Writes snapshots of every MIWG reference model through the snapshotter's own write path
  (gzip, archive file with fsync + rename, Postgres row, then the Kafka announcement) into a
  throw-away tenant, which is removed afterwards.`;

/** The target for one snapshot write; the seed's SLO is 500 ms. */
const TARGET_MS = 50;
const SIZE_CLASSES = [
  { name: '< 16 KB', max: 16 * 1024 },
  { name: '16–64 KB', max: 64 * 1024 },
  { name: '≥ 64 KB', max: Number.POSITIVE_INFINITY },
];

interface SnapshotSample {
  xmlBytes: number;
  gzipBytes: number;
  writeMs: number;
  /** Write plus the announcement on the snapshots topic. */
  applyMs: number;
}

export interface SnapshotBenchResult {
  machine: MachineInfo;
  startedAt: string;
  models: number;
  rounds: number;
  write: LatencySummary;
  withAnnouncement: LatencySummary;
  byClass: Array<{ name: string; samples: number; write: LatencySummary; meanXmlBytes: number; meanRatio: number }>;
  targetMs: number;
}

/** `flowledger bench snapshot`: snapshot write p50/p95 on real diagrams (target ≤ 50 ms). */
export const snapshotBenchmark: Benchmark = {
  summary: 'snapshot write p50/p95 (gzip + archive file + Postgres row), MIWG models (target ≤ 50 ms)',
  usage: USAGE,
  async run(args, ctx) {
    const { values } = parseArgs({
      args,
      options: { rounds: { type: 'string', default: '10' }, json: { type: 'boolean', default: false } },
      strict: true,
    });
    const rounds = Math.max(1, Number.parseInt(values.rounds, 10) || 10);
    const models = await canonicalModels(ctx.root);
    const tenant = `bench-snap-${Date.now().toString(36)}`;
    const config = loadSnapshotterConfig();
    const pool = new pg.Pool({ connectionString: ctx.config.postgres.url, max: 2 });
    let lastWrite = 0;
    const parts = await buildSnapshotter(
      pool,
      { ...config, policy: { baseK: 1, maxK: 1, referenceBytes: 1 } }, // every version is a snapshot version
      { clientId: `bench-snapshot-${process.pid}`, onWritten: (_, seconds) => (lastWrite = seconds * 1000) },
    );
    const samples: SnapshotSample[] = [];
    const startedAt = new Date().toISOString();
    try {
      for (let round = 1; round <= rounds; round++) {
        for (const m of models) {
          const started = performance.now();
          await parts.sink.apply({ event: eventFor(tenant, m.id, round, m.hash), diagram: m.diagram, xml: m.xml });
          const applyMs = performance.now() - started;
          samples.push({ xmlBytes: m.bytes, gzipBytes: 0, writeMs: lastWrite, applyMs });
        }
        ctx.stderr.write(`snapshot bench: round ${round}/${rounds}\n`);
      }
      const stored = await parts.store.list(tenant);
      const gzipByModel = new Map(stored.map((s) => [s.diagramId, s.compressedBytes]));
      samples.forEach((s, i) => (s.gzipBytes = gzipByModel.get(models[i % models.length]!.id) ?? 0));
    } finally {
      await parts.sink.reset(tenant).catch(() => undefined);
      const admin = createKafkaAdmin({ brokers: ctx.config.kafka.brokers, clientId: `bench-snapshot-${process.pid}` });
      await admin.deleteTopics([snapshotsTopic(tenant)]).catch(() => undefined);
      await admin.close();
      await parts.close();
      await pool.end();
    }
    const result: SnapshotBenchResult = {
      machine: machineInfo(),
      startedAt,
      models: models.length,
      rounds,
      write: summarizeLatencies(samples.map((s) => s.writeMs)),
      withAnnouncement: summarizeLatencies(samples.map((s) => s.applyMs)),
      byClass: SIZE_CLASSES.map((c, i) => {
        const min = i === 0 ? 0 : SIZE_CLASSES[i - 1]!.max;
        const inClass = samples.filter((s) => s.xmlBytes >= min && s.xmlBytes < c.max);
        return {
          name: c.name,
          samples: inClass.length,
          write: summarizeLatencies(inClass.map((s) => s.writeMs)),
          meanXmlBytes: mean(inClass.map((s) => s.xmlBytes)),
          meanRatio: mean(inClass.map((s) => s.gzipBytes / s.xmlBytes)),
        };
      }),
      targetMs: TARGET_MS,
    };
    ctx.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : renderSnapshotReport(result, args));
    return 0;
  },
};

export function renderSnapshotReport(r: SnapshotBenchResult, args: string[]): string {
  const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');
  const row = (name: string, n: number, l: LatencySummary, extra: string) =>
    `| ${name} | ${n} | ${ms(l.p50Ms)} | ${ms(l.p95Ms)} | ${ms(l.maxMs)} | ${extra} |`;
  return [
    '### snapshot — snapshot write time',
    '',
    `- Machine: ${describeMachine(r.machine)}`,
    `- Command: \`npx flowledger bench snapshot ${args.join(' ')}\` (started ${r.startedAt})`,
    `- ${r.models} MIWG reference models (canonical XML) × ${r.rounds} rounds, through the snapshotter's write path: gzip, archive file (temp file, fsync, rename, fsync of the folder), Postgres row with the progress in one transaction.`,
    '',
    '| diagrams | samples | p50 ms | p95 ms | max ms | mean XML / gzip ratio |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    ...r.byClass.map((c) =>
      row(c.name, c.samples, c.write, `${Math.round(c.meanXmlBytes / 1024)} KB / ${(c.meanRatio * 100).toFixed(1)} %`),
    ),
    row('**all**', r.write.count, r.write, ''),
    row('all, with the Kafka announcement', r.withAnnouncement.count, r.withAnnouncement, ''),
    '',
    `Target p95 ≤ ${r.targetMs} ms: **${r.write.p95Ms <= r.targetMs ? 'met' : 'missed'}** (p95 ${ms(r.write.p95Ms)} ms).`,
    '',
  ].join('\n');
}

async function canonicalModels(root: string) {
  const dir = join(root, 'tests', 'fixtures', 'miwg-reference');
  const out = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.bpmn'))
    .sort()) {
    const diagram = await parseDiagram(readFileSync(join(dir, file), 'utf8'));
    const xml = await serializeDiagram(diagram);
    out.push({
      id: `miwg-${file.replace(/\.bpmn$/, '').replace(/[^A-Za-z0-9_-]/g, '-')}`,
      diagram,
      xml,
      bytes: Buffer.byteLength(xml),
      hash: canonicalHash(xml),
    });
  }
  return out;
}

function eventFor(tenantId: string, diagramId: string, version: number, resultHash: string): DiagramEvent {
  return {
    eventSchemaVersion: DIAGRAM_EVENT_SCHEMA_VERSION,
    eventType: 'CHANGES_APPLIED',
    tenantId,
    diagramId,
    diagramName: null,
    version,
    baseVersion: version - 1,
    transactionId: `bench-${diagramId}-${version}`,
    actorId: 'bench',
    actorKind: 'AGENT',
    runId: null,
    requestId: null,
    occurredAt: new Date(0),
    operations: [],
    idMap: {},
    resultHash,
  };
}

function mean(values: number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}
