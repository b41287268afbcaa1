import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type BenchTopics, benchRecord, checkDelivery, sleep } from './bench-records.js';
import type { ClientUnderTest } from './clients-under-test.js';

export interface RestartFigures {
  client: string;
  records: number;
  acked: number;
  /** From SIGTERM to the broker accepting connections again. */
  outageMs: number;
  /** The longest time between two acknowledgements while the broker was away. */
  longestStallMs: number;
  /** Sends that rejected and were sent again by the harness (the client gave up inside the outage). */
  failedSends: number;
  inLog: number;
  consumedDistinct: number;
  consumerRedelivered: number;
  outOfOrderKeys: number;
  clientLog: string[];
}

export interface RestartSettings {
  root: string;
  broker: string;
  records: number;
  keys: number;
  recordBytes: number;
  partitions: number;
  /** Pause between two sends, so the run spans the outage. */
  paceMs: number;
  restartAfterMs: number;
}

/**
 * (d) A producer sends a bounded stream of records (each awaited; a rejected send is sent again)
 * and a consumer group reads along while the broker is stopped with SIGTERM and started again
 * by the stack runner. Afterwards every acknowledged record must be in the log exactly once and
 * reach the consumer in order per key.
 */
export async function runRestartScenario(
  client: ClientUnderTest,
  topics: BenchTopics,
  s: RestartSettings,
  slug: string,
): Promise<RestartFigures> {
  const topic = await topics.fresh(`${slug}.restart`, s.partitions);
  const producer = await client.producer(`bench-${slug}-restart`);
  const seen: Buffer[] = [];
  const consumer = await client.consume(topic, `bench-${slug}-restart-${Date.now()}`, (v) => seen.push(v));
  client.drainLog();

  let outageMs = Number.NaN;
  const restart = sleep(s.restartAfterMs).then(async () => (outageMs = await restartBroker(s.root, s.broker)));

  let acked = 0;
  let failedSends = 0;
  let lastAck = performance.now();
  let longestStallMs = 0;
  const deadline = performance.now() + 180_000;
  try {
    for (let seq = 0; seq < s.records && performance.now() < deadline; seq++) {
      const record = benchRecord(topic, s.keys, seq, s.recordBytes);
      for (;;) {
        try {
          await producer.send([record]);
          break;
        } catch {
          failedSends++;
          if (performance.now() > deadline) throw new Error(`${client.name}: no recovery within 180 s`);
          await sleep(250);
        }
      }
      acked++;
      const now = performance.now();
      longestStallMs = Math.max(longestStallMs, now - lastAck);
      lastAck = now;
      await sleep(s.paceMs);
    }
  } finally {
    await restart; // the broker must be back before anything else, whatever happened above
  }
  const readBy = performance.now() + 60_000;
  while (checkDelivery(seen).distinct < acked && performance.now() < readBy) await sleep(250);
  await sleep(1000);
  await consumer.close().catch(() => undefined);
  await producer.close().catch(() => undefined);
  const check = checkDelivery(seen);
  return {
    client: client.name,
    records: s.records,
    acked,
    outageMs,
    longestStallMs,
    failedSends,
    inLog: await topics.recordCount(topic, s.partitions),
    consumedDistinct: check.distinct,
    consumerRedelivered: check.redelivered,
    outOfOrderKeys: check.outOfOrderKeys,
    clientLog: client.drainLog(),
  };
}

/** SIGTERM the embedded broker, wait for it to exit, start it again; returns the outage in ms. */
export async function restartBroker(root: string, broker: string): Promise<number> {
  const { pid } = JSON.parse(readFileSync(join(root, 'var', 'run', 'kafka.pid'), 'utf8')) as { pid: number };
  const start = performance.now();
  try {
    process.kill(pid, 'SIGTERM');
    while (isAlive(pid)) {
      if (performance.now() - start > 30_000) throw new Error(`kafka (pid ${pid}) still running 30 s after SIGTERM`);
      await sleep(100);
    }
  } finally {
    await ensureBrokerUp(root, broker);
  }
  return performance.now() - start;
}

/** Starts whatever of the stack is down (only Kafka, here) unless the broker already answers. */
export async function ensureBrokerUp(root: string, broker: string): Promise<void> {
  if (await accepts(broker)) return;
  // `stack up` exits non-zero when any other component is down; the broker's own health is what counts.
  await new Promise<void>((resolve) => {
    const child = spawn(process.execPath, ['cli/bin/flowledger.js', 'stack', 'up'], { cwd: root, stdio: 'ignore' });
    child.on('exit', () => resolve());
    child.on('error', () => resolve());
  });
  if (!(await accepts(broker))) throw new Error('kafka did not come back after `flowledger stack up`');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function accepts(hostPort: string): Promise<boolean> {
  const [host, port] = hostPort.split(':');
  return new Promise((resolve) => {
    const socket = connect({ host: host!, port: Number(port) });
    socket.setTimeout(1000);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}
