import type Canvas from 'diagram-js/lib/core/Canvas.js';
import type EventBus from 'diagram-js/lib/core/EventBus.js';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry.js';

const SVG = 'http://www.w3.org/2000/svg';
const PADDING = 6;

/** Another user's selection, and the colour they are shown in. */
export interface RemoteSelection {
  actorId: string;
  color: string;
  elementIds: string[];
}

interface Shape {
  id: string;
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  waypoints?: Array<{ x: number; y: number }>;
}

/**
 * Outlines what other users have selected, in each user's colour with their name: drawn on a
 * layer of its own (never a change to the diagram), redrawn when elements change or move.
 */
export default class RemoteSelections {
  static $inject = ['canvas', 'eventBus', 'elementRegistry'];

  private selections: RemoteSelection[] = [];

  constructor(
    private readonly canvas: Canvas,
    eventBus: EventBus,
    private readonly elementRegistry: ElementRegistry,
  ) {
    eventBus.on(['elements.changed', 'import.done'], () => this.draw());
  }

  show(selections: RemoteSelection[]): void {
    this.selections = selections;
    this.draw();
  }

  private draw(): void {
    const layer = this.canvas.getLayer('fl-remote-selections', 800);
    layer.replaceChildren();
    for (const selection of this.selections) {
      for (const id of selection.elementIds) {
        const element = this.elementRegistry.get(id) as Shape | undefined;
        if (element) layer.appendChild(outline(element, selection));
      }
    }
  }
}

function outline(element: Shape, selection: RemoteSelection): SVGGElement {
  const group = document.createElementNS(SVG, 'g');
  group.setAttribute('class', 'fl-remote-selection');
  group.dataset.actor = selection.actorId;
  group.dataset.element = element.id;
  group.style.setProperty('--fl-actor-color', selection.color);
  let label = { x: 0, y: 0 };
  if (element.waypoints) {
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('points', element.waypoints.map((p) => `${p.x},${p.y}`).join(' '));
    group.appendChild(line);
    label = { x: element.waypoints[0]!.x, y: element.waypoints[0]!.y - PADDING };
  } else {
    const rect = document.createElementNS(SVG, 'rect');
    const bounds = {
      x: (element.x ?? 0) - PADDING,
      y: (element.y ?? 0) - PADDING,
      width: (element.width ?? 0) + 2 * PADDING,
      height: (element.height ?? 0) + 2 * PADDING,
      rx: 8,
    };
    for (const [k, v] of Object.entries(bounds)) rect.setAttribute(k, String(v));
    group.appendChild(rect);
    label = { x: bounds.x, y: bounds.y - 4 };
  }
  const name = document.createElementNS(SVG, 'text');
  name.setAttribute('x', String(label.x));
  name.setAttribute('y', String(label.y));
  name.textContent = selection.actorId;
  group.appendChild(name);
  return group;
}
