import type Canvas from 'diagram-js/lib/core/Canvas.js';
import type Overlays from 'diagram-js/lib/features/overlays/Overlays.js';
import type ElementRegistry from 'diagram-js/lib/core/ElementRegistry.js';
import type { Operation } from '../operations.js';

const SVG = 'http://www.w3.org/2000/svg';

export interface ElementNote {
  elementId: string;
  text: string;
}

/**
 * What the user sees of proposals on the canvas: elements of a proposal in flight are marked
 * pending; a rejection's violations and an applied change's lint warnings are pinned to the
 * elements they name.
 */
export default class ProposalFeedback {
  static $inject = ['canvas', 'overlays', 'elementRegistry'];

  constructor(
    private readonly canvas: Canvas,
    private readonly overlays: Overlays,
    private readonly elementRegistry: ElementRegistry,
  ) {}

  markPending(elementIds: string[], pending: boolean): void {
    for (const id of elementIds) {
      if (!this.elementRegistry.get(id)) continue;
      if (pending) this.canvas.addMarker(id, 'fl-pending');
      else this.canvas.removeMarker(id, 'fl-pending');
    }
  }

  /**
   * Outlines of where a proposal in flight would put things: shapes and connections it creates,
   * and where it moves or resizes shapes to (none of it is on the canvas until applied).
   */
  showPendingCreations(operations: Operation[]): SVGGElement {
    const group = document.createElementNS(SVG, 'g');
    group.setAttribute('class', 'fl-pending-creations');
    const outline = (b: { x: number; y: number; width: number; height: number }) => {
      const rect = document.createElementNS(SVG, 'rect');
      for (const [k, v] of Object.entries({ ...b, rx: 10 })) rect.setAttribute(k, String(v));
      group.appendChild(rect);
    };
    for (const { op } of operations) {
      if (op.case === 'createShape' && op.value.bounds) {
        outline(op.value.bounds);
      } else if (op.case === 'resizeShape' && op.value.bounds) {
        outline(op.value.bounds);
      } else if (op.case === 'moveElements' && op.value.delta) {
        const { x: dx, y: dy } = op.value.delta;
        for (const id of op.value.elementIds) {
          const shape = this.elementRegistry.get(id) as { x?: number; y?: number; width?: number; height?: number };
          if (shape?.width === undefined) continue; // connections follow their shapes
          outline({ x: shape.x! + dx, y: shape.y! + dy, width: shape.width, height: shape.height! });
        }
      } else if (op.case === 'createConnection' && op.value.waypoints.length > 1) {
        const line = document.createElementNS(SVG, 'polyline');
        line.setAttribute('points', op.value.waypoints.map((p) => `${p.x},${p.y}`).join(' '));
        group.appendChild(line);
      }
    }
    this.canvas.getLayer('fl-pending', 900).appendChild(group);
    return group;
  }

  /** Pins each note to its element (notes for unknown elements are left to the caller's panel); returns those pinned. */
  pin(kind: 'rejection' | 'lint', notes: ElementNote[]): ElementNote[] {
    this.overlays.remove({ type: `fl-${kind}` });
    // Notes on the diagram as a whole (the root) have no shape to sit on; the caller lists them.
    const rootId = this.canvas.getRootElement().id;
    const pinned = notes.filter((note) => note.elementId !== rootId && this.elementRegistry.get(note.elementId));
    for (const note of pinned) {
      const badge = document.createElement('div');
      badge.className = `fl-badge fl-badge-${kind}`;
      badge.textContent = kind === 'rejection' ? '!' : 'i';
      badge.title = note.text;
      const detail = document.createElement('div');
      detail.className = 'fl-badge-detail';
      detail.textContent = note.text;
      badge.appendChild(detail);
      this.overlays.add(note.elementId, `fl-${kind}`, { position: { top: -12, right: 12 }, html: badge });
    }
    return pinned;
  }

  clear(kind: 'rejection' | 'lint'): void {
    this.overlays.remove({ type: `fl-${kind}` });
  }
}
