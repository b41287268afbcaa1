// Browser-test support for the editor's diagram-js modules: boots a bpmn-js Modeler with only
// the modules a spec names, reads the canvas as plain data, and runs code inside a real
// (trusted) user input event — what the Rules Gate's gesture allowance looks for.
import 'bpmn-js/dist/assets/diagram-js.css';
import Modeler from 'bpmn-js/lib/Modeler.js';
import CoreModule from 'bpmn-js/lib/core/index.js';
import ModelingModule from 'bpmn-js/lib/features/modeling/index.js';
import { userEvent } from 'vitest/browser';
import { snapshotElements, type DiagramSnapshot } from '../proposals/element-snapshot.js';

type Module = Record<string, unknown>;

export interface Harness {
  modeler: Modeler;
  get<T>(name: string): T;
  /** Shapes and connections on the canvas, as the gesture translation reads them. */
  canvasState(): DiagramSnapshot;
  /** Every event of `name` fired from now on. */
  record<T>(name: string): T[];
  destroy(): void;
}

/** A Modeler of bpmn-js's core and modeling plus `modules`, with `xml` imported. */
export async function bootstrapModeler(xml: string, modules: Module[]): Promise<Harness> {
  const container = document.createElement('div');
  container.style.cssText = 'width: 1000px; height: 600px; position: relative';
  document.body.append(container);
  const modeler = new Modeler({ container, modules: [CoreModule, ModelingModule, ...modules] } as never);
  await modeler.importXML(xml);
  const get = <T>(name: string) => modeler.get<T>(name);
  return {
    modeler,
    get,
    canvasState() {
      const registry = get<{ getAll(): unknown[] }>('elementRegistry');
      const root = get<{ getRootElement(): { id: string } }>('canvas').getRootElement();
      return snapshotElements(registry.getAll() as never, root.id);
    },
    record<T>(name: string) {
      const fired: T[] = [];
      get<{ on(e: string, f: (e: T) => void): void }>('eventBus').on(name, (event) => void fired.push(event));
      return fired;
    },
    destroy() {
      modeler.destroy();
      container.remove();
    },
  };
}

/**
 * Runs `gesture` while the browser dispatches a real click (Playwright input, so the event is
 * trusted): the code runs as a user's gesture would, e.g. a tool's drop handler.
 */
export async function asUserGesture(gesture: () => void): Promise<void> {
  const button = document.createElement('button');
  button.textContent = 'gesture';
  button.style.cssText = 'position: fixed; top: 0; left: 0; z-index: 1000';
  let failure: unknown;
  let ran = false;
  button.addEventListener('click', (event) => {
    if (!event.isTrusted) return;
    ran = true;
    try {
      gesture();
    } catch (error) {
      failure = error;
    }
  });
  document.body.append(button);
  try {
    await userEvent.click(button);
  } finally {
    button.remove();
  }
  if (!ran) throw new Error('the click was not dispatched as a trusted user event');
  if (failure) throw failure;
}

/** A diagram-js event at a canvas point (for driving tools such as move and dragging). */
export function canvasEvent(harness: Harness, point: { x: number; y: number }): unknown {
  const canvas = harness.get<{ getContainer(): HTMLElement; viewbox(): { x: number; y: number; scale: number } }>(
    'canvas',
  );
  const box = canvas.getContainer().getBoundingClientRect();
  const vb = canvas.viewbox();
  const client = { x: box.left + (point.x - vb.x) * vb.scale, y: box.top + (point.y - vb.y) * vb.scale };
  return harness.get<{ createEvent(d: unknown): unknown }>('eventBus').createEvent({
    target: canvas.getContainer().querySelector('svg'),
    clientX: client.x,
    clientY: client.y,
    offsetX: client.x,
    offsetY: client.y,
    button: 0,
  });
}
