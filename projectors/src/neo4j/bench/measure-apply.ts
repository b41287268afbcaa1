/**
 * Apply throughput of the Neo4j sink against the running stack's Neo4j: events/s one by one
 * (the live projector) and in batches (a rebuild), on a small diagram and on MIWG C.4.0
 * (~100 KB). Changes are made in-process beforehand; only the sink's time is counted. Not a
 * test: run it and read the numbers. Writes under a throw-away tenant and removes it after.
 *
 *   node --import tsx projectors/src/neo4j/bench/measure-apply.ts [events]
 */
import { readFileSync } from 'node:fs';
import neo4j from 'neo4j-driver';
import { loadStackConfig } from '@flowledger/config';
import type { ProjectedChange } from '@flowledger/projection';
import { graphLabels } from '../store/graph-labels.js';
import { ensureGraphSchema } from '../store/graph-schema.js';
import { createNeo4jSink, type Neo4jSink } from '../store/neo4j-sink.js';
import { SyntheticDiagram } from './synthetic-changes.js';

const events = Number(process.argv[2] ?? 400);
const fixtures = new URL('../../../../tests/fixtures/miwg-reference/', import.meta.url);
const SMALL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="D" targetNamespace="t">
  <bpmn:process id="P"><bpmn:startEvent id="S" /></bpmn:process>
  <bpmn:bpmndi:BPMNDiagram id="BD" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"><bpmndi:BPMNPlane id="BP" bpmnElement="P"><bpmndi:BPMNShape id="S_di" bpmnElement="S"><dc:Bounds x="0" y="0" width="36" height="36" /></bpmndi:BPMNShape></bpmndi:BPMNPlane></bpmn:bpmndi:BPMNDiagram>
</bpmn:definitions>`.replace(/bpmn:bpmndi:/g, 'bpmndi:');

const { url, username, password } = loadStackConfig().neo4j;
const driver = neo4j.driver(url, neo4j.auth.basic(username, password));
const labels = graphLabels(1);
const tenant = `bench-neo4j-${Math.random().toString(36).slice(2, 8)}`;
await ensureGraphSchema(driver, labels);
const sink = createNeo4jSink({ driver, labels });

try {
  const big = readFileSync(new URL('C.4.0.bpmn', fixtures), 'utf8');
  for (const mix of ['grow', 'edit'] as const) {
    console.log(
      mix === 'grow'
        ? 'every event adds a task and a flow:'
        : 'an editing mix (3/5 layout, 1/5 rename, 1/5 new task + flow):',
    );
    await oneByOne('  small diagram, one by one', SMALL, 'S', mix);
    await oneByOne('  C.4.0 (96 KB), one by one', big, firstRootNode, mix);
    await batched('  small diagrams ×20, batches of 1000', SMALL, 'S', 20, mix);
    await batched('  C.4.0 ×4, batches of 1000', big, firstRootNode, 4, mix);
  }
} finally {
  await sink.reset(tenant);
  await driver.close();
}

type Start = string | ((d: SyntheticDiagram) => string);
type Mix = 'grow' | 'edit';

function next(d: SyntheticDiagram, last: string, i: number, mix: Mix): Promise<[ProjectedChange, string]> {
  return mix === 'grow' ? d.growFrom(last, 3000 + i * 150, 3000) : d.edit(last, i);
}

async function oneByOne(title: string, xml: string, start: Start, mix: Mix): Promise<void> {
  const [diagram, created] = await SyntheticDiagram.create(tenant, `one-${title.length}-${mix}-${Date.now()}`, xml);
  await sink.apply(created);
  let previous = typeof start === 'string' ? start : start(diagram);
  let spent = 0;
  for (let i = 0; i < events; i++) {
    const [change, id] = await next(diagram, previous, i, mix);
    previous = id;
    const t = performance.now();
    await sink.apply(change);
    spent += performance.now() - t;
  }
  report(title, events, spent);
}

async function batched(title: string, xml: string, start: Start, count: number, mix: Mix): Promise<void> {
  const diagrams: { d: SyntheticDiagram; previous: string; created: ProjectedChange }[] = [];
  for (let i = 0; i < count; i++) {
    const [d, created] = await SyntheticDiagram.create(tenant, `batch-${title.length}-${mix}-${i}-${Date.now()}`, xml);
    diagrams.push({ d, previous: typeof start === 'string' ? start : start(d), created });
  }
  let spent = 0;
  let total = 0;
  let pending: ProjectedChange[] = diagrams.map((x) => x.created);
  const flush = async (s: Neo4jSink) => {
    const t = performance.now();
    await s.applyBatch(pending);
    spent += performance.now() - t;
    total += pending.length;
    pending = [];
  };
  for (let i = 0; i < events; i++) {
    for (const x of diagrams) {
      const [change, id] = await next(x.d, x.previous, i, mix);
      x.previous = id;
      pending.push(change);
    }
    if (pending.length >= 1000) await flush(sink);
  }
  if (pending.length > 0) await flush(sink);
  report(title, total, spent);
}

/** A task of the process new shapes go to (C.4.0 is a collaboration: its first pool's process). */
function firstRootNode(d: SyntheticDiagram): string {
  type Element = { id: string; processRef?: Element; $instanceOf(t: string): boolean; [k: string]: unknown };
  const plane = d.diagram.definitions.diagrams[0].plane.bpmnElement as Element;
  const participants = (plane.participants ?? []) as Element[];
  const process = plane.$instanceOf('bpmn:Process') ? plane : participants.find((p) => p.processRef)!.processRef!;
  return (process.flowElements as Element[]).find((e) => e.$instanceOf('bpmn:Task'))!.id;
}

function report(title: string, count: number, ms: number): void {
  console.log(
    `${title.padEnd(40)} ${count} events in ${(ms / 1000).toFixed(2)} s = ${Math.round(count / (ms / 1000))} events/s`,
  );
}
