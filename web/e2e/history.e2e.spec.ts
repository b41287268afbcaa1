import { describe, expect, it } from 'vitest';
import { devToken } from '../../tests/support/modeling-client.js';
import { clientFor, uniqueTenant } from '../../tests/support/test-tenant.js';
import { useChromium } from './support/chromium.js';
import { EditorPage } from './support/editor-page.js';

/** The history panel: every version with who made it; an old one shown read-only. */
describe('history', () => {
  const tenant = uniqueTenant('web-history');
  const browser = useChromium();

  it('lists each version with its user; choosing an old one shows that version read-only', async () => {
    // given v1 by setup, v2 by ann (a task), v3 by ben (an end event)
    const { diagramId } = await clientFor(tenant, 'setup', ['editor']).createDiagram('History');
    const ann = await EditorPage.open(browser(), devToken(tenant, 'ann', ['editor']), diagramId);
    const ben = await EditorPage.open(browser(), devToken(tenant, 'ben', ['editor']), diagramId);
    await ann.createFromPalette('create.task', { x: 300, y: 150 });
    await ben.waitForVersion(2);
    await ben.createFromPalette('create.end-event', { x: 550, y: 190 });
    await ben.waitForVersion(3);
    await ben.page.keyboard.press('Escape');

    // when ben opens the history and picks version 2
    await ben.page.click('[data-testid=history-button]');
    await ben.page.waitForSelector('.fl-version-item[data-version="1"]');
    const items = await ben.page.$$eval('.fl-version-item', (nodes) => nodes.map((n) => n.textContent ?? ''));
    await ben.page.click('.fl-version-item[data-version="2"]');
    await ben.page.waitForSelector('[data-testid=history-caption][data-version="2"]');

    // then each version names its user, and the preview is version 2 as ann left it
    expect(items.map((text) => text.split(' · ').slice(0, 2))).toEqual([
      ['v3', 'ben'],
      ['v2', 'ann'],
      ['v1', 'setup'],
    ]);
    expect(await ben.page.textContent('[data-testid=history-caption]')).toMatch(/^Version 2 by ann, .* read-only$/);
    const preview = '[data-testid=history-preview]';
    await ben.page.waitForSelector(`${preview} [data-element-id="Task_2_1"]`);
    expect(await ben.page.$$(`${preview} [data-element-id="EndEvent_3_1"]`)).toHaveLength(0);

    // read-only: no palette, and clicking an element of it offers no editing
    expect(await ben.page.$$(`${preview} .djs-palette`)).toHaveLength(0);
    await ben.page.click(`${preview} [data-element-id="Task_2_1"]`);
    expect(await ben.page.$$(`${preview} .djs-context-pad`)).toHaveLength(0);
    // and the editor itself still shows the latest version, unchanged
    expect(await ben.version()).toBe(3);
    expect((await ben.elements()).map((e) => e.id).sort()).toEqual(['EndEvent_3_1', 'Task_2_1']);
    expect(ben.proposals).toHaveLength(1);
    await Promise.all([ann.close(), ben.close()]);
  });
});
