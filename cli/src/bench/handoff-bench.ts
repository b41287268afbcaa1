import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import pg from 'pg';
import { currentSigningKey, loadOrCreateSigningKeys, mintDevToken } from '@flowledger/oidc';
import { BenchUsageError, type Benchmark, type BenchContext } from './benchmark.js';
import { summarizeLatencies, type LatencySummary } from './latency-stats.js';
import { describeMachine, machineInfo } from './machine-info.js';
import { ModelingEdgeClient } from './propose/modeling-edge-client.js';

/** One kind of round trip to another process, and how it went back to back and paced. */
export interface HandoffRow {
  roundTrip: string;
  backToBack: LatencySummary;
  paced: LatencySummary;
}

export interface HandoffSettings {
  samples: number;
  /** The pause between paced round trips: long enough for the other process (and its CPU) to fall asleep. */
  pauseMs: number;
}

type RoundTrip = () => Promise<unknown>;

/**
 * Times `roundTrip` `samples` times back to back, then `samples` times with `pauseMs` between
 * (after a warm-up of its own each time). The difference is what waking the other side costs.
 */
export async function measureHandoff(name: string, roundTrip: RoundTrip, s: HandoffSettings): Promise<HandoffRow> {
  const run = async (pauseMs: number) => {
    for (let i = 0; i < Math.min(30, s.samples); i++) await roundTrip();
    const samples: number[] = [];
    for (let i = 0; i < s.samples; i++) {
      if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
      const started = performance.now();
      await roundTrip();
      samples.push(performance.now() - started);
    }
    return summarizeLatencies(samples);
  };
  const backToBack = await run(0);
  return { roundTrip: name, backToBack, paced: await run(s.pauseMs) };
}

/** A Node process that echoes every byte on a Unix socket: the bare hand-off, no work behind it. */
export async function startEchoProcess(): Promise<{ roundTrip: RoundTrip; stop(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'flowledger-handoff-'));
  const path = join(dir, 'echo.sock');
  const { child } = await startChild(
    `require('node:net').createServer((s) => s.on('data', (d) => s.write(d)))
      .listen(process.argv[1], () => process.stdout.write('ready\\n'));`,
    [path],
  );
  const socket: Socket = connect(path);
  await new Promise((resolve) => socket.once('connect', resolve));
  const byte = Buffer.from([1]);
  return {
    roundTrip: () =>
      new Promise((resolve) => {
        socket.once('data', resolve);
        socket.write(byte);
      }),
    stop() {
      socket.destroy();
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A Node process running `source` (plain JavaScript), once it printed its first output (returned). */
async function startChild(source: string, args: string[]): Promise<{ child: ChildProcess; output: string }> {
  const child = spawn(process.execPath, ['-e', source, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const output = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim()));
    child.once('exit', (code) => reject(new Error(`child process exited (${code})`)));
  });
  return { child, output };
}

// The child runs from wherever the CLI was started: it loads the CLI's own grpc-js by path.
const GRPC_JS = createRequire(import.meta.url).resolve('@grpc/grpc-js');

const ECHO_METHOD = {
  path: '/flowledger.bench.Echo/Echo',
  requestStream: false,
  responseStream: false,
  requestSerialize: (b: Buffer) => b,
  requestDeserialize: (b: Buffer) => b,
  responseSerialize: (b: Buffer) => b,
  responseDeserialize: (b: Buffer) => b,
};

/** A grpc-js server echoing raw bytes (no protobuf, no handler work): the cost of the gRPC layers alone. */
export async function startGrpcEchoProcess(): Promise<{ roundTrip: RoundTrip; stop(): void }> {
  const { child, output: port } = await startChild(
    `const grpc = require(${JSON.stringify(GRPC_JS)});
    const id = (b) => b;
    const method = { path: '${ECHO_METHOD.path}', requestStream: false, responseStream: false,
      requestSerialize: id, requestDeserialize: id, responseSerialize: id, responseDeserialize: id };
    const server = new grpc.Server();
    server.addService({ echo: method }, { echo: (call, cb) => cb(null, call.request) });
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, port) => {
      if (e) throw e;
      process.stdout.write(port + '\\n');
    });`,
    [],
  );
  const Client = grpc.makeGenericClientConstructor({ echo: ECHO_METHOD }, 'Echo');
  const client = new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as {
    echo(request: Buffer, cb: (error: unknown) => void): void;
    close(): void;
  };
  const byte = Buffer.from([1]);
  return {
    roundTrip: () => new Promise<void>((resolve, reject) => client.echo(byte, (e) => (e ? reject(e) : resolve()))),
    stop() {
      client.close();
      child.kill();
    },
  };
}

/** The echo processes, Postgres, and the command service straight and through Envoy. */
async function runHandoffBench(s: HandoffSettings, ctx: BenchContext): Promise<HandoffRow[]> {
  const rows: HandoffRow[] = [];
  const echo = await startEchoProcess();
  try {
    rows.push(await measureHandoff('a Node process echoing 1 byte over a Unix socket', echo.roundTrip, s));
  } finally {
    echo.stop();
  }
  const grpcEcho = await startGrpcEchoProcess();
  try {
    rows.push(await measureHandoff('a grpc-js server echoing 1 byte (TCP, no handler work)', grpcEcho.roundTrip, s));
  } finally {
    grpcEcho.stop();
  }
  const db = new pg.Client({ connectionString: ctx.config.postgres.url });
  await db.connect();
  try {
    rows.push(await measureHandoff('Postgres: `SELECT 1`', () => db.query('SELECT 1'), s));
  } finally {
    await db.end();
  }
  const key = currentSigningKey(await loadOrCreateSigningKeys(ctx.varDir));
  const token = await mintDevToken(
    {
      tenant: `handoff${Date.now().toString(36)}`,
      actor: 'bench',
      roles: ['viewer'],
      ttlSeconds: 3_600,
      issuer: ctx.config.oidc.issuer,
    },
    key,
    new Date(),
  );
  for (const [name, address] of [
    ['`ListDiagrams` straight to the command service (one Postgres query)', ctx.config.grpc.address],
    ['`ListDiagrams` through Envoy', `${ctx.config.host}:${ctx.config.edge.port}`],
  ] as const) {
    const client = new ModelingEdgeClient(address, token);
    try {
      rows.push(await measureHandoff(name, () => client.listDiagrams(), s));
    } finally {
      client.close();
    }
  }
  return rows;
}

export function handoffMarkdown(rows: HandoffRow[], s: HandoffSettings): string {
  const ms = (l: LatencySummary) => `${l.p50Ms.toFixed(2)} / ${l.p95Ms.toFixed(2)} / ${l.p99Ms.toFixed(2)}`;
  return [
    '### handoff — what waking another process costs',
    '',
    `- Machine: ${describeMachine(machineInfo())}`,
    `- ${s.samples} round trips each, back to back and then one every ${s.pauseMs} ms (the other side idle in between)`,
    '',
    `| round trip | back to back p50 / p95 / p99 ms | paced p50 / p95 / p99 ms |`,
    '| --- | --- | --- |',
    ...rows.map((r) => `| ${r.roundTrip} | ${ms(r.backToBack)} | ${ms(r.paced)} |`),
    '',
  ].join('\n');
}

export const handoffBenchmark: Benchmark = {
  summary: 'round trips to other processes back to back and paced: what a hand-off costs here',
  usage: `usage: flowledger bench handoff [--samples N] [--pause-ms MS] [--json]
  --samples   round trips per measurement (default 200)
  --pause-ms  the pause between paced round trips (default 100)`,
  async run(args, ctx) {
    const { values } = parseArgs({
      args,
      options: {
        samples: { type: 'string', default: '200' },
        'pause-ms': { type: 'string', default: '100' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    });
    const s: HandoffSettings = { samples: Number(values.samples), pauseMs: Number(values['pause-ms']) };
    if (!Number.isInteger(s.samples) || s.samples < 1)
      throw new BenchUsageError('--samples must be a positive integer');
    if (!Number.isFinite(s.pauseMs) || s.pauseMs < 1) throw new BenchUsageError('--pause-ms must be at least 1');
    const rows = await runHandoffBench(s, ctx);
    ctx.stdout.write(values.json ? `${JSON.stringify(rows, null, 2)}\n` : handoffMarkdown(rows, s));
    return 0;
  },
};
