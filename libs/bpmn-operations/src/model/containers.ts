import { permanentId, register, type ApplyState } from '../apply-state.js';
import { invalidOperation } from '../operation-error.js';
import { addTo } from './element-lists.js';
import { moddle, type ModdleElement } from './moddle.js';
import { markChanged } from '../serialization/chunk-cache.js';

/**
 * The process new elements go to when the proposal names no parent: the process the first
 * plane shows, or in a collaboration the first participant's process, or the first process.
 */
export function rootProcess(state: ApplyState): ModdleElement {
  const { definitions } = state.diagram;
  const shown = definitions.diagrams?.[0]?.plane?.bpmnElement as ModdleElement | undefined;
  if (shown?.$instanceOf('bpmn:Process')) return shown;
  if (shown?.$instanceOf('bpmn:Collaboration')) {
    const first = (shown.participants as ModdleElement[] | undefined)?.find((p) => p.processRef);
    if (first) return first.processRef as ModdleElement;
  }
  const process = (definitions.rootElements as ModdleElement[] | undefined)?.find((e) => e.$instanceOf('bpmn:Process'));
  if (!process) throw invalidOperation('the diagram has no process to add elements to', '', 'no-process');
  return process;
}

/** The first collaboration of the diagram, if any: where new pools go. */
export function collaborationOf(state: ApplyState): ModdleElement | undefined {
  return collaborationsOf(state)[0];
}

/** Every collaboration (a file may show its pools in several, one per diagram). */
export function collaborationsOf(state: ApplyState): ModdleElement[] {
  const rootElements = (state.diagram.definitions.rootElements ?? []) as ModdleElement[];
  return rootElements.filter((e) => e.$instanceOf('bpmn:Collaboration'));
}

/** Every message flow or collaboration-level artifact (`property`) of every collaboration. */
export function collaborationItems(state: ApplyState, property: 'messageFlows' | 'artifacts'): ModdleElement[] {
  return collaborationsOf(state).flatMap((c) => (c[property] ?? []) as ModdleElement[]);
}

/** The participant's process, created (`Process_<version>_<ordinal>`) when the pool has none yet. */
export function processOfParticipant(state: ApplyState, participant: ModdleElement, ordinal: number): ModdleElement {
  if (participant.processRef) return participant.processRef as ModdleElement;
  const process = moddle.create('bpmn:Process', {
    id: permanentId(state, 'bpmn:Process', ordinal),
    isExecutable: false,
  });
  addTo(state.diagram.definitions, 'rootElements', process);
  process.$parent = state.diagram.definitions;
  register(state, process);
  participant.processRef = process;
  markChanged(participant);
  return process;
}

/** Process or sub-process that holds `element` as a flow element or artifact. */
export function flowContainerOf(element: ModdleElement): ModdleElement | undefined {
  let current = element.$parent;
  while (current && !current.$instanceOf('bpmn:FlowElementsContainer')) current = current.$parent;
  return current;
}

/** The process `element` belongs to, through any sub-processes and lane sets. */
export function processOf(element: ModdleElement): ModdleElement | undefined {
  let current: ModdleElement | undefined = element;
  while (current && !current.$instanceOf('bpmn:Process')) current = current.$parent;
  return current;
}

/** The pool `element` is drawn in: itself, or the participant whose process holds it. */
export function participantOf(state: ApplyState, element: ModdleElement): ModdleElement | undefined {
  if (element.$instanceOf('bpmn:Participant')) return element;
  const process = processOf(element);
  if (!process) return undefined;
  for (const collaboration of collaborationsOf(state)) {
    const found = ((collaboration.participants ?? []) as ModdleElement[]).find((p) => p.processRef === process);
    if (found) return found;
  }
  return undefined;
}

/** Every lane of a process or sub-process, nested lanes included. */
export function lanesOf(container: ModdleElement): ModdleElement[] {
  const lanes: ModdleElement[] = [];
  const visit = (laneSets: ModdleElement[] | undefined): void => {
    for (const laneSet of laneSets ?? []) {
      for (const lane of (laneSet.lanes ?? []) as ModdleElement[]) {
        lanes.push(lane);
        visit(lane.childLaneSet ? [lane.childLaneSet] : undefined);
      }
    }
  };
  visit(container.laneSets as ModdleElement[] | undefined);
  return lanes;
}

/** Where a flow node or artifact proposed under `parent` goes semantically (and the lane it joins). */
export function semanticContainerFor(
  state: ApplyState,
  parent: ModdleElement | undefined,
  ordinal: number,
): { container: ModdleElement; lane?: ModdleElement } {
  if (!parent) return { container: rootProcess(state) };
  if (parent.$instanceOf('bpmn:Process') || parent.$instanceOf('bpmn:SubProcess')) return { container: parent };
  if (parent.$instanceOf('bpmn:Participant')) return { container: processOfParticipant(state, parent, ordinal) };
  if (parent.$instanceOf('bpmn:Lane')) {
    const container = flowContainerOf(parent);
    if (container) return { container, lane: parent };
  }
  throw invalidOperation(
    `"${parent.id}" (${parent.$type}) cannot contain flow elements`,
    parent.id as string,
    'invalid-parent',
  );
}
