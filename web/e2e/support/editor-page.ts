import type { Browser, Page, Request } from 'playwright-core';
import { loadStackConfig } from '@flowledger/config';

export interface CanvasElement {
  id: string;
  type: string;
  name?: string;
  x: number;
  y: number;
  width: number;
  height: number;
  sourceId?: string;
  targetId?: string;
}

/** The web app as one user sees it: a page object over the editor at /diagrams/<id>. */
export class EditorPage {
  readonly proposals: Request[] = [];
  /** GetDiagram calls: the first load, and every reload of the whole diagram. */
  readonly diagramLoads: Request[] = [];
  readonly errors: string[] = [];

  private constructor(readonly page: Page) {
    page.on('request', (request) => {
      if (request.url().endsWith('.ModelingService/Propose')) this.proposals.push(request);
      if (request.url().endsWith('.ModelingService/GetDiagram')) this.diagramLoads.push(request);
    });
    page.on('pageerror', (error) => this.errors.push(error.message));
  }

  static baseUrl(): string {
    return loadStackConfig().edge.url;
  }

  /** Counts the canvas's imports from now on (a reload imports the whole diagram again). */
  async countImports(): Promise<() => Promise<number>> {
    await this.page.evaluate(() => {
      const w = window as unknown as { flImports: number };
      w.flImports = 0;
      window
        .bpmnjs!.get<{ on(e: string, f: () => void): void }>('eventBus')
        .on('import.done', () => void w.flImports++);
    });
    return () => this.page.evaluate(() => (window as unknown as { flImports: number }).flImports);
  }

  /** A fresh browser context (its own session storage: its own user) on the diagram. */
  static async open(browser: Browser, token: string, diagramId: string): Promise<EditorPage> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const editor = new EditorPage(await context.newPage());
    await editor.page.goto(`${EditorPage.baseUrl()}/diagrams/${diagramId}#token=${token}`);
    await editor.page.waitForFunction(
      () => document.querySelector<HTMLElement>('[data-testid=version]')?.dataset.version,
    );
    return editor;
  }

  async close(): Promise<void> {
    await this.page.context().close();
  }

  async version(): Promise<number> {
    return Number(await this.page.getAttribute('[data-testid=version]', 'data-version'));
  }

  async waitForVersion(version: number, timeout = 5_000): Promise<void> {
    await this.page.waitForFunction(
      (v) => Number(document.querySelector<HTMLElement>('[data-testid=version]')?.dataset.version) >= v,
      version,
      { timeout },
    );
  }

  /** Shapes and connections on the canvas (labels and the root left out). */
  async elements(type?: string): Promise<CanvasElement[]> {
    return this.page.evaluate((type) => {
      const registry = window.bpmnjs!.get<{ getAll(): Array<Record<string, never>> }>('elementRegistry');
      return registry
        .getAll()
        .filter((e: Record<string, unknown>) => e.parent && !e.labelTarget && (!type || e.type === type))
        .map((e: Record<string, unknown>) => {
          const bo = e.businessObject as { name?: string };
          const source = e.source as { id: string } | undefined;
          const target = e.target as { id: string } | undefined;
          return {
            id: e.id as string,
            type: e.type as string,
            name: bo.name,
            x: e.x as number,
            y: e.y as number,
            width: e.width as number,
            height: e.height as number,
            sourceId: source?.id,
            targetId: target?.id,
          };
        });
    }, type);
  }

  /** Where a diagram point is on the screen (for mouse gestures). */
  async screenPoint(point: { x: number; y: number }): Promise<{ x: number; y: number }> {
    return this.page.evaluate((p) => {
      const canvas = window.bpmnjs!.get<{
        viewbox(): { x: number; y: number; scale: number };
        getContainer(): HTMLElement;
      }>('canvas');
      const box = canvas.getContainer().getBoundingClientRect();
      const vb = canvas.viewbox();
      return { x: box.left + (p.x - vb.x) * vb.scale, y: box.top + (p.y - vb.y) * vb.scale };
    }, point);
  }

  async centerOf(id: string): Promise<{ x: number; y: number }> {
    const element = (await this.elements()).find((e) => e.id === id);
    if (!element) throw new Error(`no element ${id} on the canvas`);
    return this.screenPoint({ x: element.x + element.width / 2, y: element.y + element.height / 2 });
  }

  /** Drags a palette entry (e.g. `create.task`) onto the diagram point. */
  async createFromPalette(action: string, at: { x: number; y: number }): Promise<void> {
    const target = await this.screenPoint(at);
    await this.page.click(`.djs-palette [data-action="${action}"]`);
    await this.page.mouse.move(target.x - 10, target.y - 10);
    await this.page.mouse.move(target.x, target.y, { steps: 3 });
    await this.page.mouse.click(target.x, target.y);
  }

  async drag(from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
    await this.page.mouse.move(from.x, from.y);
    await this.page.mouse.down();
    await this.page.mouse.move(from.x + 5, from.y + 5, { steps: 2 });
    await this.page.mouse.move(to.x, to.y, { steps: 8 });
    await this.page.mouse.up();
  }

  async select(id: string): Promise<void> {
    const center = await this.centerOf(id);
    await this.page.mouse.click(center.x, center.y);
  }

  async status(): Promise<string> {
    return (await this.page.textContent('[data-testid=status]')) ?? '';
  }

  /** Actor ids in the participant list (avatars), in order. */
  async participants(): Promise<string[]> {
    return this.page.$$eval('[data-testid=participants] [data-actor]', (nodes) =>
      nodes.map((n) => (n as HTMLElement).dataset.actor!),
    );
  }

  /** Ids of the elements outlined on the canvas as `actor`'s selection. */
  async outlinedBy(actor: string): Promise<string[]> {
    return this.page.$$eval(`.fl-remote-selection[data-actor="${actor}"]`, (nodes) =>
      nodes.map((n) => (n as SVGElement).dataset.element!),
    );
  }

  async rejection(): Promise<string> {
    await this.page.waitForSelector('[data-testid=rejection]:not([hidden])', { timeout: 5_000 });
    return (await this.page.textContent('[data-testid=rejection]')) ?? '';
  }
}
