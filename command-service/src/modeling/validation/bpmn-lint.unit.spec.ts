import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDiagram } from '@flowledger/bpmn-operations';
import { lintDefinitions } from './bpmn-lint.js';
import { DEFAULT_LINT_CONFIG } from './lint-config.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../../../tests/fixtures/miwg-reference/${name}`, import.meta.url), 'utf8');

const twoFlowsBetween = (sourceTarget: Array<[string, string]>): string => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D" targetNamespace="urn:t">
  <bpmn:process id="P">
    <bpmn:task id="A" /><bpmn:task id="B" />
    ${sourceTarget.map(([s, t], i) => `<bpmn:sequenceFlow id="F${i}" sourceRef="${s}" targetRef="${t}" />`).join('\n    ')}
  </bpmn:process>
</bpmn:definitions>`;

describe('lintDefinitions', () => {
  it('gives the same verdict when the same model is linted again', async () => {
    const { definitions } = await parseDiagram(fixture('C.9.1.bpmn'));
    const first = await lintDefinitions(definitions, DEFAULT_LINT_CONFIG);
    const second = await lintDefinitions(definitions, DEFAULT_LINT_CONFIG);
    expect(first.errors).toEqual([]);
    expect(second).toEqual(first);
  });

  it('does not carry what it saw in one diagram into the lint of another', async () => {
    // Equal flows (A → B) in two diagrams: neither is a duplicate within its own diagram.
    const one = await parseDiagram(twoFlowsBetween([['A', 'B']]));
    const other = await parseDiagram(twoFlowsBetween([['A', 'B']]));
    await lintDefinitions(one.definitions, DEFAULT_LINT_CONFIG);
    const verdict = await lintDefinitions(other.definitions, DEFAULT_LINT_CONFIG);
    expect(verdict.errors).toEqual([]);
  });

  it('still rejects a real duplicate flow', async () => {
    const { definitions } = await parseDiagram(
      twoFlowsBetween([
        ['A', 'B'],
        ['A', 'B'],
      ]),
    );
    const verdict = await lintDefinitions(definitions, DEFAULT_LINT_CONFIG);
    expect(verdict.errors.map((e) => e.rule)).toContain('no-duplicate-sequence-flows');
  });
});
