import { describe, expect, it } from 'vitest';
import { describeCpuReference, measureCpuReference, referenceDiagramXml } from './cpu-reference.js';

describe('the CPU reference', () => {
  it("is the diagram a `grow` tenant's diagrams end as: 199 tasks, 99 flows to the first, about 80 KB", async () => {
    const xml = await referenceDiagramXml();

    expect(xml.match(/<bpmn:task /g)).toHaveLength(199);
    expect(xml.match(/<bpmn:sequenceFlow [^>]*sourceRef="Task_2_1"/g)).toHaveLength(99);
    expect(Buffer.byteLength(xml) / 1024).toBeGreaterThan(70);
    expect(Buffer.byteLength(xml) / 1024).toBeLessThan(90);
  });

  it('times parses of it and says what it measured', async () => {
    const reference = await measureCpuReference();

    expect(reference.samples).toBe(15);
    expect(reference.parseMs).toBeGreaterThan(0);
    expect(describeCpuReference(reference)).toMatch(
      /parses the 8\d\.\d KB reference diagram .* in \d+\.\d ms \(median of 15\)/,
    );
  });
});
