import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';
import { devToken } from '../../support/modeling-client.js';
import { uniqueTenant } from '../../support/test-tenant.js';
import { LiveReadModels } from '../support/live-read-models.js';
import { SteadyClient } from '../support/steady-client.js';

// Neo4j Community cannot keep tenants apart by itself (projectors/src/neo4j/README.md), so the
// Query API is the only way in and must never carry one tenant's graph to another. Two tenants
// import diagrams with the same element ids but different graphs; tenant A then asks every graph
// question through Envoy with B's diagram id, B's element ids, injection attempts and a forged
// tenant header — and never gets anything of B's.
const tenantA = uniqueTenant('graph-scope-a');
const tenantB = uniqueTenant('graph-scope-b');
const live = new LiveReadModels();
const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
const asA = graphCaller(devToken(tenantA, 'ann', ['viewer']));
const asB = graphCaller(devToken(tenantB, 'bob', ['viewer']));
let diagramA: string;
let diagramB: string;

/** Everything of B's that must never reach A: its own element ids and every name it uses. */
const B_ONLY = ['BOnly', 'BOrphan', 'BData', 'BF1', 'BF2', 'BBroken', 'B secret'];

const INJECTIONS = [
  "x' OR 1=1 //",
  '"}) MATCH (n) RETURN n //',
  '`) MATCH (n) DETACH DELETE n //',
  '*',
  '.*',
  '%',
  '$tenantId',
  '{tenant_id: $tenantId}',
  ' ',
  'S\u0000',
  'x'.repeat(10_000),
];

beforeAll(async () => {
  for (const [tenant, file] of [
    [tenantA, 'tenant-a.bpmn'],
    [tenantB, 'tenant-b.bpmn'],
  ] as const) {
    const client = new SteadyClient(tenant, 'alice', ['editor']);
    const { diagramId, version } = await client.createDiagram(file, fixture(file));
    await live.waitForAll(tenant, diagramId, version);
    client.close();
    if (tenant === tenantA) diagramA = diagramId;
    else diagramB = diagramId;
  }
}, 60_000);

afterAll(async () => {
  asA.close();
  asB.close();
  await live.close();
});

describe('graph questions as tenant A never answer with tenant B’s nodes', () => {
  it('B sees its own graph (so the questions below could find it)', async () => {
    expect(names(await asB.call('FindUnreachable', { diagramId: diagramB }))).toEqual([
      'B secret orphan',
      'B secret second orphan',
    ]);
    expect(await asB.call('FindDanglingFlows', { diagramId: diagramB })).toMatchObject({
      flows: [{ flowId: 'BBroken' }],
    });
    expect(await paths(asB, diagramB, 'S', 'E')).toHaveLength(2);
  });

  it('A’s questions about its own diagram, with the ids both tenants use, answer from A’s graph', async () => {
    const answers = [
      await asA.call('FindUnreachable', { diagramId: diagramA }),
      await asA.call('FindDanglingFlows', { diagramId: diagramA }),
      await asA.call('FindPaths', { diagramId: diagramA, fromElementId: 'S', toElementId: 'E', maxPaths: 100 }),
    ];

    expect(names(answers[0]!)).toEqual(['A orphan']);
    expect(answers[1]).toEqual({ flows: [] });
    expect(await paths(asA, diagramA, 'S', 'E')).toEqual([['S', 'F1', 'T', 'F2', 'E']]);
    expectNothingOfB(answers);
  });

  it('A asking about B’s diagram, or for B’s element ids, gets NOT_FOUND', async () => {
    for (const [method, request] of [
      ['FindUnreachable', { diagramId: diagramB }],
      ['FindDanglingFlows', { diagramId: diagramB }],
      ['FindPaths', { diagramId: diagramB, fromElementId: 'S', toElementId: 'E' }],
      ['FindPaths', { diagramId: diagramA, fromElementId: 'S', toElementId: 'BOnly' }],
      ['FindPaths', { diagramId: diagramA, fromElementId: 'BOrphan', toElementId: 'E' }],
    ] as const) {
      await expect(asA.call(method, request), `${method} ${JSON.stringify(request)}`).rejects.toMatchObject({
        code: grpc.status.NOT_FOUND,
      });
    }
  });

  it('injection attempts in every field are refused or find nothing', async () => {
    const answers: unknown[] = [];
    for (const bad of INJECTIONS) {
      for (const [method, request] of [
        ['FindUnreachable', { diagramId: bad }],
        ['FindDanglingFlows', { diagramId: bad }],
        ['FindPaths', { diagramId: bad, fromElementId: 'S', toElementId: 'E' }],
        ['FindPaths', { diagramId: diagramA, fromElementId: bad, toElementId: 'E' }],
        ['FindPaths', { diagramId: diagramA, fromElementId: 'S', toElementId: bad }],
      ] as const) {
        const outcome = await asA.call(method, request).then(
          (answer) => answer,
          (error: grpc.ServiceError) => ({ code: error.code }),
        );
        answers.push(outcome);
        expect(
          [grpc.status.NOT_FOUND, grpc.status.INVALID_ARGUMENT],
          `${method} ${JSON.stringify(request).slice(0, 80)}: ${JSON.stringify(outcome).slice(0, 200)}`,
        ).toContain((outcome as { code?: number }).code);
      }
    }
    expectNothingOfB(answers);
    // Nothing was changed by them either: B's graph is whole.
    expect(names(await asB.call('FindUnreachable', { diagramId: diagramB }))).toHaveLength(2);
  });

  it('a tenant header naming B on A’s token is refused, not honoured', async () => {
    for (const method of ['FindUnreachable', 'FindDanglingFlows'] as const) {
      await expect(asA.call(method, { diagramId: diagramB }, { 'x-tenant-id': tenantB })).rejects.toMatchObject({
        code: grpc.status.UNAUTHENTICATED,
      });
    }
  });
});

function expectNothingOfB(answers: unknown[]): void {
  const text = JSON.stringify(answers);
  for (const marker of B_ONLY) expect(text, marker).not.toContain(marker);
}

function names(answer: Record<string, unknown>): string[] {
  return (answer.elements as { name: string }[]).map((e) => e.name).sort();
}

type GraphCaller = ReturnType<typeof graphCaller>;

async function paths(caller: GraphCaller, diagramId: string, from: string, to: string): Promise<string[][]> {
  const r = await caller.call('FindPaths', { diagramId, fromElementId: from, toElementId: to, maxPaths: 100 });
  return (r.paths as { elementIds: string[] }[]).map((p) => p.elementIds);
}

/** The Query API through Envoy with a bearer token, and extra metadata when a test forges some. */
function graphCaller(token: string) {
  const protoDir = join(import.meta.dirname, '..', '..', '..', 'schemas', 'proto');
  const definition = protoLoader.loadSync(join(protoDir, 'flowledger/query/v1/query.proto'), {
    includeDirs: [protoDir],
    longs: Number,
    defaults: true,
  });
  const Service = (
    grpc.loadPackageDefinition(definition) as unknown as {
      flowledger: { query: { v1: { QueryService: grpc.ServiceClientConstructor } } };
    }
  ).flowledger.query.v1.QueryService;
  const config = loadStackConfig();
  const stub = new Service(`${config.host}:${config.edge.port}`, grpc.credentials.createInsecure()) as grpc.Client &
    Record<string, (...args: unknown[]) => unknown>;
  return {
    call(method: string, request: object, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
      const md = new grpc.Metadata();
      md.set('authorization', `Bearer ${token}`);
      for (const [k, v] of Object.entries(headers)) md.set(k, v);
      return new Promise((resolve, reject) =>
        stub[method]!(request, md, { deadline: Date.now() + 30_000 }, (e: grpc.ServiceError | null, r: object) =>
          e ? reject(e) : resolve(r as Record<string, unknown>),
        ),
      );
    },
    close: () => stub.close(),
  };
}
