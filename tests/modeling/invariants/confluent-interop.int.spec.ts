import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalHash, parseDiagram, serializeDiagram, type Operation } from '@flowledger/bpmn-operations';
import { loadStackConfig } from '@flowledger/config';
import { diagramEventsTopic, toAvroRecord, type DiagramEvent } from '@flowledger/events';
import { devToken, ModelingClient, randomTx } from '../../support/modeling-client.js';
import { openTopicReader, range, type TopicReader } from './support/diagram-topic.js';
import { addTask, createDiagramWithRetry, proposeWithRetry } from './support/proposals.js';

// DESIGN.md §4 through the real service: a consumer that knows nothing of flowledger —
// Confluent's own Python client with its AvroDeserializer and the registry — decodes every
// record of a tenant's topic, one per version, to exactly what the service answered.
const repoRoot = join(import.meta.dirname, '..', '..', '..');
const tenant = `t${randomUUID().slice(0, 8)}`;
let client: ModelingClient;
let topic: TopicReader;

beforeAll(() => {
  client = new ModelingClient(devToken(tenant, 'ada', ['editor']));
  topic = openTopicReader('invariants-interop');
});

afterAll(async () => {
  client?.close();
  await topic?.close();
});

interface Decoded {
  key: string;
  partition: number;
  offset: number;
  value: Record<string, unknown> & { operations: Array<Record<string, unknown>> };
}

describe("a tenant's topic read by Confluent's Python client", () => {
  it('decodes to the fields the service answered, one record per version', { timeout: 120_000 }, async () => {
    // given a diagram with three applied proposals, each of a different kind
    const { diagramId } = await createDiagramWithRetry(client, 'interop');
    const sent: Array<{ version: number; tx: string; operations: Operation[]; idMap: Record<string, string> }> = [];
    const proposeNext = async (operations: (ids: Record<string, string>) => Operation[]) => {
      const version = (sent.at(-1)?.version ?? 1) + 1;
      const ids = Object.assign({}, ...sent.map((s) => s.idMap)) as Record<string, string>;
      const tx = randomTx();
      const r = await proposeWithRetry(client, diagramId, version - 1, operations(ids), tx);
      if (r.result !== 'applied') throw new Error(JSON.stringify(r));
      sent.push({ version: r.applied.version, tx, operations: operations(ids), idMap: r.applied.idMap });
    };
    await proposeNext(() => [
      ...addTask(1, 'a'),
      ...addTask(2, 'b'),
      {
        kind: 'createConnection',
        id: 'ab',
        type: 'bpmn:SequenceFlow',
        sourceId: 'a',
        targetId: 'b',
        waypoints: [
          { x: 200, y: 140 },
          { x: 230, y: 140 },
        ],
        name: 'go',
      },
    ]);
    await proposeNext((ids) => [
      { kind: 'updateProperties', elementId: ids.a!, properties: { name: 'Check order', documentation: 'ünïcødé ✓' } },
    ]);
    await proposeNext((ids) => [
      { kind: 'moveElements', elementIds: [ids.b!], delta: { x: 10, y: -5 }, newParentId: '' },
    ]);
    const { versions } = await client.listVersions(diagramId);
    expect(versions.map((v) => v.version)).toEqual(range(1, 4));

    // when Confluent's client reads the topic until it has four records
    const config = loadStackConfig();
    const { stdout } = await promisify(execFile)(
      join(repoRoot, 'var', 'venv', 'interop', 'bin', 'python'),
      [
        join(repoRoot, 'tests', 'interop', 'confluent_consume.py'),
        ...['--brokers', config.kafka.brokers.join(','), '--registry', config.schemaRegistry.url],
        ...['--topic', diagramEventsTopic(tenant), '--count', '4', '--timeout', '90'],
      ],
      { timeout: 100_000 },
    );
    const decoded = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Decoded);

    // then there is one record per version, in order, keyed by the diagram, and the topic holds no others
    expect(decoded.map((d) => [d.key, d.value.version])).toEqual(range(1, 4).map((v) => [diagramId, v]));
    expect((await topic.readAll(tenant)).map((r) => r.event.version)).toEqual(range(1, 4));
    const ours = (await topic.readAll(tenant)).map((r) => toAvroRecord(r.event));

    for (const [i, { value }] of decoded.entries()) {
      const version = i + 1;
      const proposal = sent.find((s) => s.version === version);
      const { xml } = await client.getDiagram(diagramId, version);
      // and every field is what the service answered and the ledger lists
      expect(value).toMatchObject({
        event_type: version === 1 ? 'DIAGRAM_CREATED' : 'CHANGES_APPLIED',
        tenant_id: tenant,
        diagram_id: diagramId,
        diagram_name: version === 1 ? 'interop' : null,
        version,
        base_version: version - 1,
        transaction_id: versions[i]!.transactionId,
        actor_id: 'ada',
        actor_kind: 'USER',
        id_map: proposal?.idMap ?? {},
        result_hash: canonicalHash(xml),
      });
      if (proposal) expect(value.transaction_id).toBe(proposal.tx);
      const occurred = versions[i]!.occurredAt;
      expect(Date.parse(String(value.occurred_at).replace(' ', 'T'))).toBe(
        occurred.seconds * 1000 + occurred.nanos / 1e6,
      );

      // and the operations are the proposal's, with permanent ids in place of temporary ones
      if (proposal) {
        expect(value.operations).toEqual(proposal.operations.map((op) => avroOperation(resolved(op, proposal.idMap))));
      } else {
        // (creation records the import as given — here the empty diagram — whose canonical form is version 1)
        expect(value.operations).toEqual([{ xml: expect.any(String) }]);
        expect(await serializeDiagram(await parseDiagram(String(value.operations[0]!.xml)))).toBe(xml);
      }
      // (the same as this codebase's own decoder reads, field by field)
      expect(value.operations).toEqual(ours[i]!.operations.map(unwrap));
    }
  });
});

/** fastavro yields a union branch as the bare record; ours wraps it in `{ <full name>: record }`. */
const unwrap = (wrapped: Record<string, Record<string, unknown>>) => Object.values(wrapped)[0]!;

/** A proposal's operation as the event records it: temporary ids replaced through the id map. */
function resolved(op: Operation, idMap: Record<string, string>): Operation {
  const id = (x: string) => idMap[x] ?? x;
  switch (op.kind) {
    case 'createShape':
      return { ...op, id: id(op.id), parentId: id(op.parentId) };
    case 'createConnection':
      return { ...op, id: id(op.id), sourceId: id(op.sourceId), targetId: id(op.targetId) };
    default:
      return op;
  }
}

/** An operation as fastavro reads it (the bare record of its union branch), by way of our own Avro mapping. */
function avroOperation(op: Operation): Record<string, unknown> {
  return unwrap(toAvroRecord({ ...eventStub, operations: [op] }).operations[0]!);
}

/** Only `operations` of it is used: toAvroRecord maps a whole event. */
const eventStub: DiagramEvent = {
  eventSchemaVersion: 1,
  eventType: 'CHANGES_APPLIED',
  tenantId: '',
  diagramId: '',
  diagramName: null,
  version: 2,
  baseVersion: 1,
  transactionId: '',
  actorId: '',
  actorKind: 'USER',
  runId: null,
  requestId: null,
  occurredAt: new Date(0),
  operations: [],
  idMap: {},
  resultHash: '',
};
