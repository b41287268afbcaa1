import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadStackConfig } from '@flowledger/config';
import { afterAll, describe, expect, it } from 'vitest';
import { XsdValidatorClient } from './xsd-validator.client.js';
import { XsdValidatorSocketClient } from './xsd-validator.socket-client.js';
import type { XsdVerdict } from './xsd-validator.js';

// The stack's validator (validator-py), reached both ways: over its local socket a document gets
// exactly the verdict it gets over gRPC — valid flag, codes, messages, lines, columns.
const root = join(import.meta.dirname, '../../../..');
const protoDir = join(root, 'schemas/proto');
const stack = loadStackConfig();
const socketPath = stack.validator.socketPath;
if (!socketPath) throw new Error('these tests need validator.socketPath (FLOWLEDGER_VALIDATOR_SOCKET not empty)');
const grpcClient = new XsdValidatorClient(stack.validator.address, protoDir);
const socketClient = new XsdValidatorSocketClient({ path: socketPath, protoDir, maxConnections: 2 });
afterAll(() => {
  grpcClient.close();
  socketClient.close();
});

const bpmnFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.bpmn'))
    .sort()
    .map((f): [string, string] => [f, readFileSync(join(dir, f), 'utf8')]);
const miwg = bpmnFiles(join(root, 'tests/fixtures/miwg-reference'));
const MODEL = 'http://www.omg.org/spec/BPMN/20100524/MODEL';
const broken: Array<[string, string]> = [
  ...bpmnFiles(join(root, 'validator-py/tests/fixtures/invalid')).filter(([f]) => f !== 'oversize.bpmn'),
  ['empty', ''],
  ['not BPMN', '<a/>'],
  ['a DOCTYPE after a comment', '<!-- c -->\n<!DOCTYPE x>\n<x/>'],
  [
    'an unexpected element after non-ASCII text',
    `<definitions xmlns="${MODEL}" id="D" targetNamespace="t">\n  <process id="P" name="Größe – ü">` +
      `<task id="T" name="日本"/><tasky/></process>\n</definitions>`,
  ],
  [
    'two violations on one line',
    `<definitions xmlns="${MODEL}" id="D" targetNamespace="t">\n  <process id="P" name="ü">` +
      `<task id="T"/><sequenceFlow id="F1" sourceRef="T"/><sequenceFlow id="F2" sourceRef="T"/></process>\n</definitions>`,
  ],
];

/** The verdict without the validator's own timing, which differs call by call. */
const comparable = ({ valid, violations }: XsdVerdict) => ({ valid, violations });

describe('the socket client and the gRPC client get the same verdicts', () => {
  it('finds the reference models and the broken documents', () => {
    expect(miwg.length).toBeGreaterThanOrEqual(20);
    expect(broken.length).toBeGreaterThanOrEqual(10);
  });

  it.each(miwg)('MIWG %s: valid both ways', async (_name, xml) => {
    const [overGrpc, overSocket] = await Promise.all([grpcClient.validate(xml), socketClient.validate(xml)]);

    expect(overSocket.valid).toBe(true);
    expect(overSocket.durationMs).toBeGreaterThan(0);
    expect(comparable(overSocket)).toEqual(comparable(overGrpc));
  });

  it.each(broken)('%s: the same errors both ways', async (_name, xml) => {
    const [overGrpc, overSocket] = await Promise.all([grpcClient.validate(xml), socketClient.validate(xml)]);

    expect(overSocket.valid).toBe(false);
    expect(overSocket.violations.length).toBeGreaterThan(0);
    expect(comparable(overSocket)).toEqual(comparable(overGrpc));
  });

  it('answers each of many concurrent calls on a small pool with its own verdict', async () => {
    // given: 12 calls at once on 2 connections, valid and broken interleaved
    const documents = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? miwg[i]![1] : broken[i % broken.length]![1]));

    // when
    const verdicts = await Promise.all(documents.map((xml) => socketClient.validate(xml)));

    // then
    const expected = await Promise.all(documents.map((xml) => grpcClient.validate(xml)));
    expect(verdicts.map(comparable)).toEqual(expected.map(comparable));
    expect(verdicts.map((v) => v.valid)).toEqual(documents.map((_, i) => i % 2 === 0));
  });

  it("carries the proposal's ids into the validator's log line", async () => {
    const ids = { tenantId: `socket-${randomUUID()}`, diagramId: 'd-1', transactionId: 'tx-1', requestId: 'r-1' };

    await socketClient.validate(miwg[0]![1], ids);

    const line = await logLineNaming(ids.tenantId);
    expect(line).toMatchObject({
      msg: 'validated',
      tenant_id: ids.tenantId,
      diagram_id: 'd-1',
      transaction_id: 'tx-1',
      request_id: 'r-1',
      result: 'valid',
    });
  });
});

/** The stack's validator writes var/log/validator.log as it goes; waits a little for the line. */
async function logLineNaming(text: string): Promise<Record<string, unknown>> {
  const logFile = join(process.env.FLOWLEDGER_VAR_DIR ?? join(root, 'var'), 'log', 'validator.log');
  for (let attempt = 0; attempt < 20; attempt++) {
    const line = readFileSync(logFile, 'utf8')
      .split('\n')
      .find((l) => l.includes(text));
    if (line) return JSON.parse(line) as Record<string, unknown>;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no line naming ${text} in ${logFile}`);
}
