import { createEventCodec } from '@flowledger/events';
import { createKafkaAdmin, createKafkaPartitionReader } from '@flowledger/kafka';
import { createBatchReplay, type RebuildFailure } from './batch-replay.js';
import { settleSideBySide, type ProjectedChange, type Projection, type ProjectionBuild } from './projection.js';
import { createProjectionMetrics, type ProjectionMetrics } from './projection-metrics.js';
import type { LedgerSource, SnapshotSource } from './projection-sources.js';
import { createStreamRounds, readAhead, recordsIn, type PartitionRange } from './stream-rounds.js';
import { tenantOfTopic } from './tenant-topics.js';
import { chunkByDiagramSize } from './write-chunks.js';

export interface RebuildOptions {
  /** Rebuilt together: each event is decoded and replayed once, then written to every sink. */
  projections: Projection[];
  brokers: string[];
  registryUrl: string;
  /** Gaps on a topic are filled from it. */
  ledger: LedgerSource;
  /**
   * Each diagram starts from its latest snapshot here and only the events after it are replayed
   * (`createBatchReplay`); without it every event is replayed from version 1 (`--from-scratch`).
   */
  snapshots?: SnapshotSource;
  /** Only these tenants (their content is rebuilt, the rest left alone); default all. */
  tenants?: string[];
  /**
   * For a full rebuild of projections that hold only some tenants (projectors started with
   * `tenants`): the topics read are those tenants'. Default: every tenant's.
   */
  projectedTenants?: string[];
  /** Events per sink write (default 5,000). */
  batchSize?: number;
  metrics?: ProjectionMetrics;
  clientId?: string;
  onProgress?(progress: RebuildProgress): void;
  /**
   * Awaited at each step: `started` — before anything is opened or read, outside the timed
   * seconds; `built` — the streams are read into the builds, the old content still serves;
   * `switched` — the builds serve. (Tests look at the read models there; the benchmark measures
   * the stack's CPU from `started` to `switched`.)
   */
  onPhase?(phase: 'started' | 'built' | 'switched'): Promise<void> | void;
  /**
   * Each step as it begins or ends, in words (a reading round, a build's freeze and switch): the
   * command logs them, so a rebuild that waits shows on what.
   */
  onStep?(step: string): void;
}

export interface RebuildProgress {
  /** Records read so far and in all (the end offsets taken so far). */
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
  /** Diagrams started from their latest snapshot; events replayed one by one (the others were passed on). */
  fromSnapshots: number;
  replayedEvents: number;
  seconds: number;
  /** Of `seconds`, the last step: the final read, the builds' switch over and activation. */
  switchSeconds: number;
  eventsPerSecond: number;
  /**
   * Diagrams that could not be projected (a replay, hash, gap or snapshot failure), one each.
   * Their tenants were left as they served before; the others were rebuilt. A full rebuild with
   * failures does not activate its projection versions.
   */
  failures: RebuildFailure[];
  /** Records of failed tenants read after their failure, not replayed. */
  skippedEvents: number;
  /** Where each partition's read stopped: `topic` → partition → offset (exclusive), as strings. */
  endOffsets: Record<string, string[]>;
}

const READ_CHUNK = 10_000n;
/** Events whose diagrams' snapshots are looked up together: bounds the snapshots held unparsed at once. */
const PREFETCH_EVENTS = 1_000;
/** Catching up ends when a round brought no more than this many records, or after MAX_CATCH_UP rounds. */
const CATCH_UP_RECORDS = 1_000;
const MAX_CATCH_UP = 5;

/**
 * Rebuilds projections from the streams. A sink with `beginBuild` is rebuilt into a fresh build
 * beside what serves — the old content keeps answering queries throughout — and switched over
 * at the end; a sink without it is reset first (and blank meanwhile). Reading goes in rounds:
 * every tenant topic from its start to its end now, then what arrived meanwhile until little is
 * left; then each build is frozen (its live writer waits), the last records are read, and the
 * builds switch over — so nothing the live projector wrote in the meantime is lost.
 *
 * Each diagram is replayed in memory and written in batches. Hashes are checked once per diagram
 * and reading round, on the state after its last event, before the builds switch over (what they
 * hold serves only then) — replay is deterministic, so a wrong intermediate state would show
 * there too. Projections that want the
 * XML of an event get it serialized (and checked). A full rebuild then activates each version.
 *
 * A diagram that cannot be projected fails its tenant only (`createBatchReplay`): the report names
 * it, the builds switch over for every other tenant and keep what serves the failed ones — so one
 * damaged stream does not hold back the recovery of all the others. A sink without a build was
 * reset: a failed tenant holds there what its stream gave up to the failure.
 */
export async function rebuildProjections(options: RebuildOptions): Promise<RebuildReport> {
  await options.onPhase?.('started');
  const started = performance.now();
  const { projections, ledger } = options;
  const clientId = options.clientId ?? `flowledger-rebuild-${process.pid}`;
  const connection = { brokers: options.brokers, clientId };
  const metrics = options.metrics ?? createProjectionMetrics();
  const codec = createEventCodec({ registryUrl: options.registryUrl });
  const admin = createKafkaAdmin(connection);
  const reader = createKafkaPartitionReader(connection);
  const batchSize = options.batchSize ?? 5_000;
  const step = options.onStep ?? (() => undefined);
  const builds: (ProjectionBuild | undefined)[] = [];
  try {
    // Independent stores: builds begun (or sinks reset) side by side.
    step(`opening builds of ${projections.map((p) => p.name).join(', ')}`);
    const opened = await Promise.allSettled(projections.map((p) => openTarget(p, options.tenants)));
    // One that could not begin fails the rebuild; the ones that did are aborted with it (below).
    builds.push(...opened.map((o) => (o.status === 'fulfilled' ? o.value : undefined)));
    const refused = opened.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (refused) throw refused.reason;
    const targets = projections.map((p, i) => (builds[i] ? { ...p, sink: builds[i].sink } : p));
    const replay = createBatchReplay(targets, ledger, options.snapshots);
    const writer = createBatchWriter(targets, metrics);
    const rounds = createStreamRounds(admin, reader, options.tenants ?? options.projectedTenants);
    let records = 0;
    let total = 0;

    const read = async (ranges: PartitionRange[], what: string) => {
      const topics = new Set(ranges.map((r) => r.topic)).size;
      step(`${what}: ${recordsIn(ranges)} records in ${ranges.length} partitions of ${topics} topics`);
      total += recordsIn(ranges);
      for await (const { topic, values: chunk } of readAhead(reader, ranges, READ_CHUNK)) {
        const events = await codec.decodeAll(chunk);
        for (const p of projections) await p.prepare?.(events);
        for (let i = 0; i < events.length; i += PREFETCH_EVENTS) {
          const slice = events.slice(i, i + PREFETCH_EVENTS);
          await replay.prefetch(slice);
          for (const event of slice) {
            await replay.add(event);
            records++;
            if (replay.pending >= batchSize) await writer.flush(replay.takeBatch());
          }
        }
        options.onProgress?.({ done: records, total, topic });
      }
      await writer.flush(replay.takeBatch());
      await writer.drain();
      await replay.verifyPending();
      step(`${what}: read and written`);
    };

    // Independent stores settle side by side.
    const settle = () => Promise.all(builds.map((build) => build?.settle?.()));
    await read(await rounds.next(), 'round 1');
    await settle();
    for (let round = 0; round < MAX_CATCH_UP; round++) {
      const next = await rounds.next();
      await read(next, `round ${round + 2}`);
      await settle();
      if (recordsIn(next) <= CATCH_UP_RECORDS) break;
    }
    await options.onPhase?.('built');
    const switching = performance.now();
    for (const [i, build] of builds.entries()) {
      if (!build) continue;
      step(`${projections[i]!.name}: holding its live writer back`);
      await build.freeze();
    }
    await read(await rounds.next(), 'last round');
    await replay.finish();
    // Independent stores switch side by side; each waits for its own switch to end before any abort.
    const unchanged = replay.failedTenants;
    await settleSideBySide(
      builds.map(async (build, i) => {
        if (!build) return;
        step(`${projections[i]!.name}: switching over`);
        await build.switchOver(unchanged);
        step(`${projections[i]!.name}: switched over`);
      }),
    );
    // A new version would serve the failed tenants without their content.
    if (!options.tenants && unchanged.size === 0) {
      for (const p of projections) {
        step(`${p.name}: activating projection version ${p.version}`);
        await p.sink.activate?.();
      }
    }
    await options.onPhase?.('switched');

    const seconds = (performance.now() - started) / 1000;
    return {
      tenants: rounds.tenants().map((t) => tenantOfTopic(t)!),
      records,
      events: replay.applied,
      diagrams: replay.diagrams,
      fromSnapshots: replay.fromSnapshots,
      replayedEvents: replay.replayed,
      seconds,
      switchSeconds: (performance.now() - switching) / 1000,
      eventsPerSecond: replay.applied / seconds,
      failures: [...replay.failures],
      skippedEvents: replay.skipped,
      endOffsets: rounds.endOffsets(),
    };
  } catch (error) {
    // A build already switched over ignores abort; the others are dropped, what serves stays.
    for (const build of builds) await build?.abort().catch(() => undefined);
    throw error;
  } finally {
    await Promise.all([admin.close(), reader.close()].map((p) => p.catch(() => undefined)));
  }
}

/** A fresh build of the projection when its sink offers one, else the sink itself, reset. */
async function openTarget(p: Projection, tenants: string[] | undefined): Promise<ProjectionBuild | undefined> {
  if (p.sink.beginBuild) return p.sink.beginBuild(tenants);
  if (tenants) for (const t of tenants) await p.sink.reset(t);
  else await p.sink.reset();
  return undefined;
}

/**
 * Writes replayed batches to every target. A batch's writes run while the next batch is
 * replayed (sinks read `diagram` before their first await, see projection.ts) — unless a sink
 * only has `apply`, or a batch of large diagrams takes several writes: the later ones would read
 * diagrams replayed on meanwhile.
 */
function createBatchWriter(targets: Projection[], metrics: ProjectionMetrics) {
  let writing: Promise<void> = Promise.resolve();
  const write = async (batch: ProjectedChange[][][]) => {
    const writes = targets.map(async (p, i) => {
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
  return {
    async flush(taken: ProjectedChange[][]) {
      const batch = taken.map((changes) => chunkByDiagramSize(changes));
      await writing;
      writing = write(batch);
      const overlap = targets.every((p, i) => p.sink.applyBatch && batch[i]!.length <= 1);
      if (!overlap) await writing;
    },
    drain: () => writing,
  };
}
