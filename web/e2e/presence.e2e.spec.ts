import { beforeAll, describe, expect, it } from 'vitest';
import { devToken } from '../../tests/support/modeling-client.js';
import { task } from '../../tests/support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../tests/support/test-tenant.js';
import { useChromium } from './support/chromium.js';
import { EditorPage } from './support/editor-page.js';
import { seedDiagram } from './support/seed-diagram.js';

/** Presence: who is in the diagram and what they selected, between two browser contexts. */
describe('presence', () => {
  const tenant = uniqueTenant('web-presence');
  const browser = useChromium();
  let diagramId: string;

  beforeAll(async () => {
    const setup = clientFor(tenant, 'setup', ['editor']);
    diagramId = await seedDiagram(setup, 'Presence', [task('t', 200, 'Check order')]);
  });

  it('B sees A in the list and A’s selection outlined within a second; A leaves and B sees A gone', async () => {
    const a = await EditorPage.open(browser(), devToken(tenant, 'ann', ['editor']), diagramId);
    const b = await EditorPage.open(browser(), devToken(tenant, 'ben', ['viewer']), diagramId);

    // given both are in the diagram
    await expect.poll(() => b.participants(), { timeout: 5_000 }).toEqual(['ann', 'ben']);
    await expect.poll(() => a.participants(), { timeout: 5_000 }).toEqual(['ann', 'ben']);

    // when A selects the task
    await a.select('Task_2_1');
    const selectedAt = Date.now();

    // then B sees it outlined in A's name within a second (and A sees no outline of its own)
    await b.page.waitForSelector('.fl-remote-selection[data-actor="ann"][data-element="Task_2_1"]', {
      timeout: 1_000,
    });
    expect(Date.now() - selectedAt).toBeLessThan(1_000);
    expect(await b.outlinedBy('ann')).toEqual(['Task_2_1']);
    expect(await a.outlinedBy('ann')).toEqual([]);
    expect(await b.page.textContent('.fl-remote-selection[data-actor="ann"] text')).toBe('ann');

    // when A selects nothing, the outline goes
    const empty = await a.screenPoint({ x: 700, y: 450 });
    await a.page.mouse.click(empty.x, empty.y);
    await expect.poll(() => b.outlinedBy('ann'), { timeout: 1_000 }).toEqual([]);

    // when A selects again and then leaves (closes the window)
    await a.select('Task_2_1');
    await b.page.waitForSelector('.fl-remote-selection[data-actor="ann"]', { timeout: 1_000 });
    await a.close();

    // then B sees A gone, from the list and the canvas
    await expect.poll(() => b.participants(), { timeout: 3_000 }).toEqual(['ben']);
    expect(await b.outlinedBy('ann')).toEqual([]);
    expect([...a.errors, ...b.errors]).toEqual([]);
    await b.close();
  });
});
