import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { devToken, type ModelingClient } from '../../tests/support/modeling-client.js';
import { flow, shape, task } from '../../tests/support/proposal-operations.js';
import { clientFor, uniqueTenant } from '../../tests/support/test-tenant.js';
import { useChromium } from './support/chromium.js';
import { EditorPage } from './support/editor-page.js';
import { seedDiagram } from './support/seed-diagram.js';

/** What the server says about a change, pinned to the elements it names. Given a start event → task. */
describe('lint warnings and violations on the canvas', () => {
  const tenant = uniqueTenant('web-feedback');
  const browser = useChromium();
  let setup: ModelingClient;
  let editor: EditorPage;
  let diagramId: string;

  beforeAll(async () => {
    setup = clientFor(tenant, 'setup', ['editor']);
  });
  beforeEach(async () => {
    diagramId = await seedDiagram(setup, 'Feedback', [
      shape('s', 'bpmn:StartEvent', 100, 122, 'Order received'),
      task('t', 250, 'Check order'),
      flow('f', 's', 't', [
        { x: 136, y: 140 },
        { x: 250, y: 140 },
      ]),
    ]);
    editor = await EditorPage.open(browser(), devToken(tenant, 'ann', ['editor']), diagramId);
    return async () => {
      expect(editor.errors).toEqual([]);
      await editor.close();
    };
  });

  const badge = (kind: 'lint' | 'rejection', elementId: string) =>
    `.djs-overlays[data-container-id="${elementId}"] .fl-badge-${kind}`;

  it('an applied change’s lint warnings are badges on the elements they name', async () => {
    // when ann adds a task without a name, connected to nothing
    await editor.createFromPalette('create.task', { x: 550, y: 140 });
    await editor.waitForVersion(3);

    // then the warnings of that Applied sit on the new task
    await editor.page.waitForSelector(badge('lint', 'Task_3_1'));
    const note = (await editor.page.getAttribute(badge('lint', 'Task_3_1'), 'title')) ?? '';
    expect(note).toMatch(/label-required|no-disconnected/);
    expect(await editor.page.$$(badge('rejection', 'Task_3_1'))).toHaveLength(0);
  });

  it('a rejection’s violations are pinned to the existing elements they name; the canvas stays as the server has it', async () => {
    const before = await editor.elements();

    // when ann connects the start event to the task a second time (a duplicate flow: a lint error)
    await editor.select('StartEvent_2_1');
    const pad = await editor.page.locator('.djs-context-pad [data-action="connect"]').boundingBox();
    const to = await editor.centerOf('Task_2_2');
    await editor.drag({ x: pad!.x + 5, y: pad!.y + 5 }, { x: to.x + 20, y: to.y + 20 });

    // then it is rejected with the code, and the violations are badges on the start event and the task
    expect(await editor.rejection()).toMatch(/LINT_ERROR/);
    await editor.page.waitForSelector(badge('rejection', 'StartEvent_2_1'));
    await editor.page.waitForSelector(badge('rejection', 'Task_2_2'));
    expect(await editor.page.textContent(badge('rejection', 'StartEvent_2_1'))).toMatch(
      /no-duplicate-sequence-flows: Duplicate outgoing sequence flows/,
    );
    expect(await editor.page.textContent(badge('rejection', 'Task_2_2'))).toMatch(
      /no-duplicate-sequence-flows: Duplicate incoming sequence flows/,
    );
    expect(await editor.page.textContent('[data-testid=rejection]')).toMatch(
      /StartEvent_2_1 — no-duplicate-sequence-flows/,
    );
    expect(await editor.elements()).toEqual(before);
    expect(await editor.version()).toBe(2);
    expect((await setup.getDiagram(diagramId)).version).toBe(2);
  });
});
