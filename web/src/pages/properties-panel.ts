import type Modeler from 'bpmn-js/lib/Modeler.js';
import type { JsonValue, Operation } from '../modeler/operations.js';
import type { Proposal } from '../modeler/proposals/gesture-translator.js';
import { element } from './page-header.js';

interface Selected {
  id: string;
  type: string;
  businessObject: {
    $type: string;
    name?: string;
    documentation?: Array<{ text?: string }>;
    conditionExpression?: { body?: string };
  };
}

/** The fields a user can edit; each change is an `update_properties` proposal. */
const FIELDS: Array<{ key: string; label: string; applies(type: string): boolean; read(e: Selected): string }> = [
  { key: 'name', label: 'Name', applies: (t) => t !== 'bpmn:TextAnnotation', read: (e) => e.businessObject.name ?? '' },
  {
    key: 'documentation',
    label: 'Documentation',
    applies: () => true,
    read: (e) => e.businessObject.documentation?.[0]?.text ?? '',
  },
  {
    key: 'conditionExpression',
    label: 'Condition',
    applies: (t) => t === 'bpmn:SequenceFlow',
    read: (e) => e.businessObject.conditionExpression?.body ?? '',
  },
];

/**
 * Properties of the one selected element. Like every gesture, an edit changes nothing locally:
 * it is proposed, and the field shows the server's value once the change is applied.
 */
export function propertiesPanel(modeler: Modeler, editable: boolean): HTMLElement {
  const panel = element('aside', 'fl-properties');
  panel.dataset.testid = 'properties';
  panel.hidden = true;
  const eventBus = modeler.get<{
    on(e: string | string[], f: (e: never) => void): void;
    fire(e: string, d: unknown): void;
  }>('eventBus');
  let shown: Selected | undefined;

  const render = () => {
    panel.hidden = !shown;
    if (!shown) return;
    const current = shown;
    const heading = element('h2', '', `${current.type.replace('bpmn:', '')} · ${current.id}`);
    panel.replaceChildren(heading);
    for (const field of FIELDS.filter((f) => f.applies(current.type))) {
      const input = document.createElement(field.key === 'documentation' ? 'textarea' : 'input');
      input.name = field.key;
      input.value = field.read(current);
      input.disabled = !editable;
      const propose = () => {
        const before = field.read(current);
        const after = input.value;
        if (after === before) return;
        const proposal: Proposal = {
          command: 'properties',
          operations: [update(current.id, field.key, after || null)],
          inverse: [update(current.id, field.key, before || null)],
          elementIds: [current.id],
        };
        eventBus.fire('proposals.proposed', proposal);
      };
      input.addEventListener('change', propose);
      const label = element('label', 'fl-field', field.label);
      label.append(input);
      panel.append(label);
    }
  };

  eventBus.on('selection.changed', (event: { newSelection: Selected[] }) => {
    shown =
      event.newSelection.length === 1 && !('labelTarget' in event.newSelection[0]!) ? event.newSelection[0] : undefined;
    render();
  });
  // Applied changes (anyone's) may change what the panel shows.
  eventBus.on('elements.changed', (event: { elements: Selected[] }) => {
    if (shown && event.elements.some((e) => e.id === shown!.id)) render();
  });
  return panel;
}

function update(elementId: string, key: string, value: JsonValue): Operation {
  return { op: { case: 'updateProperties', value: { elementId, properties: { [key]: value } } } };
}
