import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ModelingClient, devToken, randomTx } from '../../support/modeling-client.js';

const metricsUrl = `http://localhost:${process.env.FLOWLEDGER_COMMAND_METRICS_PORT ?? 9464}/metrics`;
const tenant = `obs${Date.now().toString(36)}`;

async function scrape(): Promise<string> {
  const res = await fetch(metricsUrl);
  expect(res.status).toBe(200);
  return res.text();
}

function sample(body: string, name: string, labels = ''): number {
  const line = body.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('command service observability', () => {
  it('counts accepted and rejected proposals, events appended and per-step time on /metrics', async () => {
    const before = await scrape();
    const client = new ModelingClient(devToken(tenant, 'alice', ['editor']));
    const { diagramId } = await client.createDiagram('observed');
    await client.propose(diagramId, 1, [
      {
        kind: 'createShape',
        id: 't',
        type: 'bpmn:Task',
        parentId: '',
        bounds: { x: 0, y: 0, width: 100, height: 80 },
        name: 'T',
      },
    ]);
    await client.propose(diagramId, 1, [{ kind: 'deleteElements', elementIds: ['nothing-here'] }]);
    client.close();
    const after = await scrape();

    const applied = 'flowledger_propose_duration_seconds_count';
    expect(
      sample(after, applied, 'outcome="applied"') - sample(before, applied, 'outcome="applied"'),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(after, applied, 'outcome="VERSION_MISMATCH"') - sample(before, applied, 'outcome="VERSION_MISMATCH"'),
    ).toBeGreaterThanOrEqual(1);
    expect(
      sample(after, 'flowledger_events_appended_total') - sample(before, 'flowledger_events_appended_total'),
    ).toBeGreaterThanOrEqual(2);
    for (const step of ['apply', 'serialize', 'xsd', 'lint', 'ledger', 'kafka']) {
      expect(sample(after, 'flowledger_propose_step_duration_seconds_count', `step="${step}"`), step).toBeGreaterThan(
        0,
      );
    }
    expect(after).toContain('flowledger_lint_warnings_per_element_bucket');
    expect(after).toContain('flowledger_xsd_errors_total');
  });

  it('logs each proposal as one JSON line with tenant, diagram, version, transaction and request ids', async () => {
    const requestId = `req-${randomTx()}`;
    const transactionId = randomTx();
    const client = new ModelingClient(devToken(tenant, 'bob', ['editor']), { headers: { 'x-request-id': requestId } });
    const { diagramId } = await client.createDiagram('logged');
    await client.propose(
      diagramId,
      1,
      [
        {
          kind: 'createShape',
          id: 't',
          type: 'bpmn:Task',
          parentId: '',
          bounds: { x: 0, y: 0, width: 100, height: 80 },
          name: 'T',
        },
      ],
      transactionId,
    );
    client.close();

    // The stack runner writes the service's stdout to var/log/commandService.log.
    const lines = readFileSync(
      join(import.meta.dirname, '..', '..', '..', 'var', 'log', 'commandService.log'),
      'utf8',
    ).split('\n');
    const entry = lines
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((e) => e.transaction_id === transactionId);
    expect(entry).toMatchObject({
      msg: 'proposal applied',
      tenant_id: tenant,
      diagram_id: diagramId,
      version: 2,
      transaction_id: transactionId,
      request_id: requestId,
    });
  });
});
