import type { Diagram } from '@flowledger/bpmn-operations';
import { createEventCodec, type DiagramEvent } from '@flowledger/events';
import { createKafkaAdmin, createKafkaPartitionReader } from '@flowledger/kafka';
import { replayEvent, verifyState } from './diagram-replay.js';
import type { ProjectedChange, Projection } from './projection.js';
import { createProjectionMetrics, type ProjectionMetrics } from './projection-metrics.js';
import { ProjectionError } from './projection-error.js';
import type { LedgerSource } from './projection-sources.js';
import { tenantOfTopic, tenantTopics } from './tenant-topics.js';
import { chunkByDiagramSize } from './write-chunks.js';

export interface RebuildOptions {
  /** Rebuilt together: each event is decoded and replayed once, then written to every sink. */
  projections: Projection[];
  brokers: string[];
  registryUrl: string;
  /** Gaps on a topic are filled from it. */
  ledger: LedgerSource;
  /** Only these tenants (their rows are reset and rebuilt, the rest left alone); default all. */
  tenants?: string[];
  /** Events per sink write (default 5,000). */
  batchSize?: number;
  metrics?: ProjectionMetrics;
  clientId?: string;
  onProgress?(progress: RebuildProgress): void;
}

export interface RebuildProgress {
  /** Records read so far and in all (the end offsets taken at the start). */
  done: number;
  total: number;
  topic: string;
}

export interface RebuildReport {
  tenants: string[];
  /** Records read from the topics. */
  records: number;
  /** Events applied (records minus duplicates, plus versions filled from the ledger). */
  events: number;
  diagrams: number;
  seconds: number;
  eventsPerSecond: number;
  /** Where each partition's read stopped: `topic` → partition → offset (exclusive), as strings. */
  endOffsets: Record<string, string[]>;
}

const READ_CHUNK = 10_000n;

/**
 * Rebuilds projections from the streams: resets their sinks (all, or the given tenants), reads
 * every tenant topic from its start up to the end offsets taken when it began, replays each
 * diagram in memory and writes in batches. Hashes are checked once per diagram and batch, on the
 * state after the diagram's last event in it, before anything is written — replay is
 * deterministic, so a wrong intermediate state would show there too. Projections that want the
 * XML of an event get it serialized (and checked) for that event. A full rebuild then activates
 * each projection version. Runs alongside a live projector of the same version: both skip by
 * version and write idempotently.
 */
export async function rebuildProjections(options: RebuildOptions): Promise<RebuildReport> {
  const started = performance.now();
  const { projections, ledger } = options;
  const clientId = options.clientId ?? `flowledger-rebuild-${process.pid}`;
  const connection = { brokers: options.brokers, clientId };
  const metrics = options.metrics ?? createProjectionMetrics();
  const codec = createEventCodec({ registryUrl: options.registryUrl });
  const admin = createKafkaAdmin(connection);
  const reader = createKafkaPartitionReader(connection);
  const batchSize = options.batchSize ?? 5_000;
  try {
    const topics = tenantTopics(await admin.listTopics(), options.tenants);
    const tenants = topics.map((t) => tenantOfTopic(t)!);
    // The sinks are independent stores: reset them side by side.
    await Promise.all(
      projections.map(async (p) => {
        if (options.tenants) for (const t of options.tenants) await p.sink.reset(t);
        else await p.sink.reset();
      }),
    );

    const ranges: { topic: string; partition: number; start: bigint; end: bigint }[] = [];
    for (const topic of topics) {
      const count = await reader.partitionCount(topic);
      for (let partition = 0; partition < count; partition++) {
        const { start, end } = await reader.offsets(topic, partition);
        ranges.push({ topic, partition, start, end });
      }
    }
    const total = ranges.reduce((n, r) => n + Number(r.end - r.start), 0);
    const endOffsets: Record<string, string[]> = {};
    for (const r of ranges) (endOffsets[r.topic] ??= [])[r.partition] = String(r.end);

    const replay = createBatchReplay(projections, ledger);
    let records = 0;
    // A batch's writes run while the next batch is replayed (sinks read `diagram` before their
    // first await, see projection.ts) — unless a sink only has `apply`, or a batch of large
    // diagrams takes several writes: the later ones would read diagrams replayed on meanwhile.
    let writing: Promise<void> = Promise.resolve();
    const flush = async () => {
      const batch = (await replay.takeBatch()).map((changes) => chunkByDiagramSize(changes));
      await writing;
      writing = write(batch);
      const overlap = projections.every((p, i) => p.sink.applyBatch && batch[i]!.length <= 1);
      if (!overlap) await writing;
    };
    const write = async (batch: ProjectedChange[][][]) => {
      const writes = projections.map(async (p, i) => {
        for (const changes of batch[i]!) {
          const t0 = performance.now();
          if (p.sink.applyBatch) await p.sink.applyBatch(changes);
          else for (const c of changes) await p.sink.apply(c);
          metrics.applySeconds.observe({ projection: p.name }, (performance.now() - t0) / 1000);
          metrics.events.inc({ projection: p.name, result: 'applied' }, changes.length);
        }
      });
      await Promise.all(writes);
    };

    for (const range of ranges) {
      for (let from = range.start; from < range.end; from += READ_CHUNK) {
        const to = from + READ_CHUNK < range.end ? from + READ_CHUNK : range.end;
        const events: DiagramEvent[] = [];
        for (const record of await reader.read(range.topic, range.partition, from, to)) {
          events.push(await codec.decode(record.value));
        }
        for (const p of projections) await p.prepare?.(events);
        for (const event of events) {
          await replay.add(event);
          records++;
          if (replay.pending >= batchSize) await flush();
        }
        options.onProgress?.({ done: records, total, topic: range.topic });
      }
    }
    await flush();
    await writing;
    if (!options.tenants) for (const p of projections) await p.sink.activate?.();

    const seconds = (performance.now() - started) / 1000;
    return {
      tenants,
      records,
      events: replay.applied,
      diagrams: replay.diagrams,
      seconds,
      eventsPerSecond: replay.applied / seconds,
      endOffsets,
    };
  } finally {
    await Promise.all([admin.close(), reader.close()].map((p) => p.catch(() => undefined)));
  }
}

interface ReplayedDiagram {
  version: number;
  diagram: Diagram | undefined;
  /** The last event replayed but not yet checked against its hash. */
  unverified: DiagramEvent | undefined;
}

/** Replays events into per-projection change lists; `takeBatch` verifies and hands them over. */
function createBatchReplay(projections: Projection[], ledger: LedgerSource) {
  const diagrams = new Map<string, ReplayedDiagram>();
  const unverified = new Set<ReplayedDiagram>();
  let batch: ProjectedChange[][] = projections.map(() => []);
  let pending = 0;
  let applied = 0;

  const replayOne = async (state: ReplayedDiagram, event: DiagramEvent) => {
    const wanted = projections.map((p) => p.canHandle(event));
    const needsXml = projections.some((p, i) => wanted[i] && (p.needsXml?.(event) ?? true));
    const { diagram, xml } = await replayEvent(state.diagram, event, { verify: needsXml });
    state.diagram = diagram;
    state.version = event.version;
    state.unverified = needsXml ? undefined : event;
    if (needsXml) unverified.delete(state);
    else unverified.add(state);
    projections.forEach((p, i) => {
      if (!wanted[i]) return;
      const withXml = (p.needsXml?.(event) ?? true) ? { xml } : {};
      batch[i]!.push({ event, diagram, ...withXml });
    });
    pending++;
    applied++;
  };

  return {
    async add(event: DiagramEvent) {
      const key = `${event.tenantId}\u0000${event.diagramId}`;
      let state = diagrams.get(key);
      if (!state) diagrams.set(key, (state = { version: 0, diagram: undefined, unverified: undefined }));
      if (event.version <= state.version) return; // a duplicate on the topic
      if (event.version > state.version + 1) {
        const missing = await ledger.readEvents(event.tenantId, event.diagramId, state.version + 1, event.version - 1);
        if (missing.length !== event.version - 1 - state.version) {
          throw new ProjectionError(
            'GAP_UNFILLABLE',
            `${event.tenantId}/${event.diagramId}: v${state.version + 1}..v${event.version - 1} are neither on the topic nor in the ledger`,
            false,
          );
        }
        for (const e of missing) await replayOne(state, e);
      }
      await replayOne(state, event);
    },
    /** Checks every diagram replayed without XML since the last batch, then returns the batch. */
    async takeBatch(): Promise<ProjectedChange[][]> {
      for (const state of unverified) {
        if (state.unverified && state.diagram) await verifyState(state.diagram, state.unverified);
        state.unverified = undefined;
      }
      unverified.clear();
      const taken = batch;
      batch = projections.map(() => []);
      pending = 0;
      return taken;
    },
    get pending() {
      return pending;
    },
    get applied() {
      return applied;
    },
    get diagrams() {
      return diagrams.size;
    },
  };
}
