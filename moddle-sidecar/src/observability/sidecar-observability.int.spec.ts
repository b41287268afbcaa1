import * as grpc from '@grpc/grpc-js';
import { operationToProto, type Operation } from '@flowledger/bpmn-operations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDefinitions } from '../proto-definitions.js';
import { freePort, spawnSidecar, startSidecarProcess, type SidecarProcess } from '../test-support/sidecar-process.js';

// A sidecar of this checkout on free ports, so the test checks the code under test, not the stack's process.
let sidecar: SidecarProcess;
let client: grpc.Client;

beforeAll(async () => {
  sidecar = await startSidecarProcess('moddle-sidecar-observability');
  client = new (loadDefinitions().flowledger.moddle.v1.ModdleSidecarService)(
    sidecar.address,
    grpc.credentials.createInsecure(),
  );
});

afterAll(async () => {
  client?.close();
  await sidecar?.stop();
});

const task: Operation = {
  kind: 'createShape',
  id: 'task',
  type: 'bpmn:Task',
  parentId: '',
  bounds: { x: 200, y: 78, width: 100, height: 80 },
  name: 'Secret task name',
};

describe('moddle sidecar observability', () => {
  it('counts and times each Apply by outcome on /metrics, beside the default process metrics', async () => {
    // given
    const before = await scrape();

    // when
    await apply({ xml: '', version: 2, operations: [operationToProto(task)] });
    await apply({ xml: '', version: 2, operations: [operationToProto(task)] });
    await apply({
      xml: '',
      version: 2,
      operations: [operationToProto({ kind: 'deleteElements', elementIds: ['Nope'] })],
    });
    await apply({ xml: '', version: 2, operations: [operationToProto(task)], limits: { maxElementsPerDiagram: 1 } });

    // then
    const after = await scrape();
    const moved = (name: string, labels: string) => sample(after, name, labels) - sample(before, name, labels);
    expect(moved('flowledger_sidecar_requests_total', 'rpc="Apply",outcome="applied"')).toBe(2);
    expect(moved('flowledger_sidecar_requests_total', 'rpc="Apply",outcome="INVALID_OPERATION"')).toBe(1);
    expect(moved('flowledger_sidecar_requests_total', 'rpc="Apply",outcome="LIMIT_EXCEEDED"')).toBe(1);
    expect(moved('flowledger_sidecar_apply_duration_seconds_count', 'outcome="applied"')).toBe(2);
    expect(moved('flowledger_sidecar_apply_duration_seconds_count', 'outcome="INVALID_OPERATION"')).toBe(1);
    expect(moved('flowledger_sidecar_apply_duration_seconds_sum', 'outcome="applied"')).toBeGreaterThan(0);
    // Every observation falls in the +Inf bucket.
    expect(sample(after, 'flowledger_sidecar_apply_duration_seconds_bucket', 'le="+Inf",outcome="applied"')).toBe(
      sample(after, 'flowledger_sidecar_apply_duration_seconds_count', 'outcome="applied"'),
    );
    expect(sample(after, 'process_cpu_seconds_total', '')).toBeGreaterThan(0);
    expect(sample(after, 'nodejs_heap_size_used_bytes', '')).toBeGreaterThan(0);
  });

  it('logs each Apply as one JSON line with the ids the call carries, outcome and duration, never the diagram', async () => {
    // given
    const ids = {
      'x-tenant-id': 'acme',
      'x-diagram-id': `d-${Date.now()}`,
      'x-transaction-id': `tx-${Date.now()}`,
      'x-request-id': `req-${Date.now()}`,
    };

    // when
    const response = await apply({ xml: '', version: 7, operations: [operationToProto(task)] }, ids);
    await apply(
      { xml: '', version: 8, operations: [operationToProto({ kind: 'deleteElements', elementIds: ['Nope'] })] },
      ids,
    );

    // then
    const lines = await linesFor(ids['x-transaction-id'], 2);
    expect(lines[0]).toMatchObject({
      level: 'info',
      service: 'moddle-sidecar',
      msg: 'apply',
      tenant_id: 'acme',
      diagram_id: ids['x-diagram-id'],
      transaction_id: ids['x-transaction-id'],
      request_id: ids['x-request-id'],
      version: 7,
      operations: 1,
      xml_bytes: 0,
      outcome: 'applied',
    });
    expect(lines[0]!.duration_ms).toBeGreaterThan(0);
    expect(Date.parse(lines[0]!.time as string)).not.toBeNaN();
    expect(lines[1]).toMatchObject({ msg: 'apply rejected', version: 8, outcome: 'INVALID_OPERATION' });
    expect(lines[1]!.reason).toContain('unknown element "Nope"');
    // The diagram is tenant data: neither its XML nor its names reach the log.
    expect((response as { applied: { xml: string } }).applied.xml).toContain('Secret task name');
    expect(sidecar.output()).not.toContain('Secret task name');
    expect(sidecar.output()).not.toContain('<bpmn:');
  });

  it('leaves ids the call does not carry out of the line', async () => {
    const requestId = `only-req-${Date.now()}`;
    await apply({ xml: '', version: 3, operations: [operationToProto(task)] }, { 'x-request-id': requestId });

    const [line] = await linesFor(requestId, 1, 'request_id');
    expect(line).toMatchObject({ request_id: requestId, version: 3, outcome: 'applied' });
    expect(line).not.toHaveProperty('tenant_id');
    expect(line).not.toHaveProperty('transaction_id');
  });

  it('refuses to start on an invalid metrics port, naming the variable', async () => {
    const child = spawnSidecar('moddle-sidecar-bad-config', {
      FLOWLEDGER_MODDLE_PORT: String(await freePort()),
      FLOWLEDGER_MODDLE_METRICS_PORT: 'not-a-port',
    });
    const { code } = await child.exited;
    expect(code).not.toBe(0);
    expect(child.output()).toContain('FLOWLEDGER_MODDLE_METRICS_PORT');
  });
});

function apply(request: object, headers: Record<string, string> = {}): Promise<unknown> {
  const metadata = new grpc.Metadata();
  for (const [key, value] of Object.entries(headers)) metadata.set(key, value);
  const stub = client as unknown as {
    Apply(r: object, m: grpc.Metadata, cb: (e: grpc.ServiceError | null, v: unknown) => void): void;
  };
  return new Promise((resolve, reject) =>
    stub.Apply(request, metadata, (error, value) => (error ? reject(error) : resolve(value))),
  );
}

async function scrape(): Promise<string> {
  const res = await fetch(sidecar.metricsUrl);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
}

/** The value of one sample (`name{labels} value`), 0 when absent. */
function sample(body: string, name: string, labels: string): number {
  const prefix = labels ? `${name}{${labels}} ` : `${name} `;
  const line = body.split('\n').find((l) => l.startsWith(prefix));
  return line ? Number(line.slice(prefix.length)) : 0;
}

/** The sidecar's JSON log lines whose `field` is `value`, once `count` of them are out (stdout is asynchronous). */
async function linesFor(value: string, count: number, field = 'transaction_id'): Promise<Record<string, unknown>[]> {
  const until = Date.now() + 5000;
  for (;;) {
    const lines = sidecar
      .output()
      .split('\n')
      .filter((l) => l.includes(value))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l[field] === value);
    if (lines.length >= count || Date.now() > until) return lines;
    await new Promise((r) => setTimeout(r, 50));
  }
}
