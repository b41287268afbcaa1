import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';
import { openTopicReader, type TopicRecord, type TopicReader } from '../modeling/invariants/support/diagram-topic.js';
import { devToken, ModelingClient, randomTx } from '../support/modeling-client.js';
import { task } from '../support/proposal-operations.js';
import { uniqueTenant } from '../support/test-tenant.js';

// DESIGN.md §3/§4 at the edge: the request metadata an agent sends through Envoy (gRPC and
// gRPC-Web) reaches the command service and is recorded with the change it caused — `run_id`
// and the request id in the ledger row and the Avro event, the W3C trace context in the Kafka
// record headers (and in the ledger, which the outbox relay publishes from).
const config = loadStackConfig();
const repoRoot = join(import.meta.dirname, '..', '..');
const tenant = uniqueTenant('headers');
const runId = `run-${randomUUID()}`;
const traceId = randomBytes(16).toString('hex');
const token = devToken(tenant, 'agent-7', ['agent']);

/** One request's metadata: its own request id and span, the run's id and trace. */
function metadata(requestId: string) {
  return {
    'x-run-id': runId,
    'x-request-id': requestId,
    traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
  };
}

interface Sent {
  version: number;
  headers: ReturnType<typeof metadata>;
}

const sent: Sent[] = [];
let diagramId: string;
let ledgerRows: Array<{
  version: number;
  run_id: string | null;
  request_id: string | null;
  traceparent: string | null;
}>;
let records: TopicRecord[];
let topic: TopicReader;

beforeAll(async () => {
  // given a diagram created over gRPC through Envoy, then changed over gRPC and over gRPC-Web
  const created = metadata(`req-create-${randomTx()}`);
  diagramId = await viaGrpc(created, (c) => c.createDiagram('headers')).then((r) => r.diagramId);
  sent.push({ version: 1, headers: created });

  const proposed = metadata(`req-propose-${randomTx()}`);
  const applied = await viaGrpc(proposed, (c) => c.propose(diagramId, 1, [task('t1', 200, 'over gRPC')]));
  expect(applied.result).toBe('applied');
  sent.push({ version: 2, headers: proposed });

  const fromBrowser = metadata(`req-grpcweb-${randomTx()}`);
  const answer = await viaGrpcWeb(fromBrowser, 'Propose', {
    diagramId,
    baseVersion: 2,
    transactionId: randomTx(),
    operations: [
      { createShape: { id: 't2', type: 'bpmn:Task', bounds: { x: 400, y: 100, width: 100, height: 80 }, name: 'web' } },
    ],
  });
  expect(answer).toMatchObject({ applied: { version: '3' } });
  sent.push({ version: 3, headers: fromBrowser });

  // when the ledger and the tenant's topic are read back
  const pool = new pg.Pool({ connectionString: config.postgres.url, max: 1 });
  try {
    ledgerRows = (
      await pool.query(
        `SELECT version::int, run_id, request_id, traceparent FROM ledger_events
          WHERE tenant_id = $1 AND diagram_id = $2 ORDER BY version`,
        [tenant, diagramId],
      )
    ).rows;
  } finally {
    await pool.end();
  }
  topic = openTopicReader('header-propagation');
  records = (await topic.readAll(tenant)).filter((r) => r.event.diagramId === diagramId);
}, 120_000);

afterAll(async () => {
  await topic?.close();
});

describe('request metadata through Envoy', () => {
  it('x-run-id and x-request-id reach the ledger row of each change', () => {
    expect(ledgerRows.map((r) => ({ version: r.version, runId: r.run_id, requestId: r.request_id }))).toEqual(
      sent.map((s) => ({ version: s.version, runId: runId, requestId: s.headers['x-request-id'] })),
    );
  });

  it('x-run-id and x-request-id are in each Avro event on the topic, with the agent as actor', () => {
    expect(records.map((r) => r.event.version)).toEqual([1, 2, 3]);
    expect(
      records.map(({ event }) => ({
        version: event.version,
        actorId: event.actorId,
        actorKind: event.actorKind,
        runId: event.runId,
        requestId: event.requestId,
      })),
    ).toEqual(
      sent.map((s) => ({
        version: s.version,
        actorId: 'agent-7',
        actorKind: 'AGENT',
        runId,
        requestId: s.headers['x-request-id'],
      })),
    );
  });

  it("validator-py's JSON log line for each change names the tenant, diagram, transaction and request", () => {
    // The stack's validator writes to var/log/validator.log: one line per validation.
    const lines = readFileSync(join(repoRoot, 'var', 'log', 'validator.log'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((entry) => entry.msg === 'validated' && entry.diagram_id === diagramId);
    expect(lines.map((l) => ({ tenant: l.tenant_id, request: l.request_id, result: l.result }))).toEqual(
      sent.map((s) => ({ tenant, request: s.headers['x-request-id'], result: 'valid' })),
    );
    expect(lines.every((l) => typeof l.transaction_id === 'string' && l.transaction_id !== '')).toBe(true);
  });

  it("each record's Kafka headers carry the request's traceparent (its trace id at least)", () => {
    expect(records.map((r) => ({ version: r.event.version, traceId: traceIdOf(r.headers.traceparent) }))).toEqual(
      sent.map((s) => ({ version: s.version, traceId })),
    );
    // The ledger keeps it for the relay, which publishes whatever a crash left unsent.
    expect(ledgerRows.map((r) => traceIdOf(r.traceparent))).toEqual(sent.map(() => traceId));
  });
});

/** A call over gRPC to Envoy (the default address of the test client), with `headers` as metadata. */
async function viaGrpc<T>(headers: Record<string, string>, call: (client: ModelingClient) => Promise<T>): Promise<T> {
  const client = new ModelingClient(token, { headers });
  try {
    return await call(client);
  } finally {
    client.close();
  }
}

/** A call over gRPC-Web to Envoy, as a browser makes it, with buf's own client (README: buf curl). */
async function viaGrpcWeb(headers: Record<string, string>, method: string, request: unknown): Promise<unknown> {
  const args = ['curl', '--schema', join(repoRoot, 'schemas', 'proto'), '--protocol', 'grpcweb'];
  for (const [name, value] of Object.entries({ authorization: `Bearer ${token}`, ...headers })) {
    args.push('-H', `${name}: ${value}`);
  }
  args.push('--data', JSON.stringify(request), `${config.edge.url}/flowledger.modeling.v1.ModelingService/${method}`);
  const { stdout } = await promisify(execFile)(join(repoRoot, 'node_modules', '.bin', 'buf'), args, {
    cwd: repoRoot,
    timeout: 60_000,
  });
  return JSON.parse(stdout) as unknown;
}

/** The trace id of a W3C `traceparent` (version-traceid-spanid-flags). */
function traceIdOf(traceparent: string | null | undefined): string | undefined {
  return traceparent?.split('-')[1];
}
