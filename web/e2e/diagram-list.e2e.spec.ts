import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { devToken } from '../../tests/support/modeling-client.js';
import { uniqueTenant } from '../../tests/support/test-tenant.js';
import { useChromium } from './support/chromium.js';
import { EditorPage } from './support/editor-page.js';

const fixture = new URL('./fixtures/order-handling.bpmn', import.meta.url);

/** The diagram list: import a .bpmn file, then open it again from the list. */
describe('diagram list', () => {
  const tenant = uniqueTenant('web-list');
  const browser = useChromium();

  async function openList(token: string): Promise<Page> {
    const page = await (await browser().newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await page.goto(`${EditorPage.baseUrl()}/#token=${token}`);
    await page.waitForSelector('.fl-diagrams');
    return page;
  }

  const editorVersion = (page: Page) =>
    page.waitForFunction(() => document.querySelector<HTMLElement>('[data-testid=version]')?.dataset.version);

  it('imports a .bpmn file as a new diagram, and opens it from the list', async () => {
    const page = await openList(devToken(tenant, 'ann', ['editor']));
    expect(await page.textContent('.fl-diagrams')).toMatch(/No diagrams yet/);

    // when ann imports order-handling.bpmn
    await page.setInputFiles('.fl-create input[type=file]', {
      name: 'order-handling.bpmn',
      mimeType: 'application/xml',
      buffer: readFileSync(fixture),
    });

    // then the editor opens it as version 1, with the file's elements
    await page.waitForURL(/\/diagrams\/[0-9a-f-]+$/);
    await editorVersion(page);
    const diagramId = new URL(page.url()).pathname.split('/').pop()!;
    expect(await page.getAttribute('[data-testid=version]', 'data-version')).toBe('1');
    const ids = await page.evaluate(() =>
      window
        .bpmnjs!.get<{ getAll(): Array<{ id: string; parent?: unknown; labelTarget?: unknown }> }>('elementRegistry')
        .getAll()
        .filter((e) => e.parent && !e.labelTarget)
        .map((e) => e.id)
        .sort(),
    );
    expect(ids).toEqual(['Flow_Check', 'Flow_Done', 'OrderChecked', 'OrderReceived', 'CheckOrder'].sort());
    await page.waitForFunction(() => document.title.startsWith('order-handling'));

    // when ann goes back to the list and opens it from there
    await page.click('.fl-home');
    await page.waitForSelector('.fl-diagram a');
    const listed = await page.$$eval('.fl-diagram', (items) => items.map((i) => i.textContent ?? ''));
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatch(/^order-handling.*version 1/);
    await page.click('.fl-diagram a');

    // then the editor shows that diagram
    await page.waitForURL(`**/diagrams/${diagramId}`);
    await editorVersion(page);
    expect(await page.textContent('.fl-title')).toBe('order-handling');
    expect(await page.$$('[data-element-id="CheckOrder"]')).not.toHaveLength(0);
    await page.context().close();
  });
});
