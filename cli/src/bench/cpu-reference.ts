import {
  applyOperations,
  DEFAULT_OPERATION_LIMITS,
  emptyDiagramXml,
  parseDiagram,
  serializeDiagram,
} from '@flowledger/bpmn-operations';
import { seedOperations } from './bench-edits.js';

/** Versions of the reference diagram: `grow` edits to version 200 make the 80 KB tenant's diagrams. */
const REFERENCE_VERSIONS = 200;
const WARM_UP = 5;
const SAMPLES = 15;

export interface CpuReference {
  /** Bytes of the reference diagram's XML. */
  xmlBytes: number;
  /** Median of `samples` parses, after a warm-up. */
  parseMs: number;
  samples: number;
}

/**
 * The reference diagram: what `bench rebuild --edits grow --versions 200` makes of each diagram
 * (199 tasks, 99 flows, ~80 KB), built in memory with the operations the command service applies.
 */
export async function referenceDiagramXml(): Promise<string> {
  const diagram = await parseDiagram(emptyDiagramXml());
  for (let v = 2; v <= REFERENCE_VERSIONS; v++) {
    await applyOperations(diagram, seedOperations(v, { kind: 'grow' }), {
      version: v,
      limits: DEFAULT_OPERATION_LIMITS,
    });
  }
  return serializeDiagram(diagram);
}

/**
 * How fast this machine does a rebuild's largest per-diagram step, moddle's parse of a snapshot:
 * hosts here differ by up to 3× on the same code, so a throughput figure means little without it.
 */
export async function measureCpuReference(): Promise<CpuReference> {
  const xml = await referenceDiagramXml();
  for (let i = 0; i < WARM_UP; i++) await parseDiagram(xml);
  const times: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const started = performance.now();
    await parseDiagram(xml);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { xmlBytes: Buffer.byteLength(xml), parseMs: times[Math.floor(SAMPLES / 2)]!, samples: SAMPLES };
}

export function describeCpuReference(r: CpuReference): string {
  return `moddle parses the ${(r.xmlBytes / 1024).toFixed(1)} KB reference diagram (\`grow\` to v${REFERENCE_VERSIONS}) in ${r.parseMs.toFixed(1)} ms (median of ${r.samples}); compare hosts by it`;
}
