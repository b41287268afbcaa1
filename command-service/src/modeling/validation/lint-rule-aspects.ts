/**
 * What bpmnlint 11's core rules read, checked against each rule's source. Lint reuse
 * (lint-reuse.ts) keeps a rule's findings when a proposal changed nothing it reads; the runner
 * (lint-runner.ts) walks the diagram interchange (BPMNDI) only for rules that check its nodes.
 * A rule named in neither layout set (a plugin's, a newer core rule) is taken to read everything.
 */

/** The core rules that read layout (BPMNDI shapes, bounds, waypoints). */
export const LAYOUT_READING_RULES: ReadonlySet<string> = new Set([
  'no-bpmndi',
  'no-overlapping-elements',
  'standard-size',
]);

/** bpmnlint 11's core rules that read the semantic model only (checked against each rule's source). */
export const LAYOUT_BLIND_RULES: ReadonlySet<string> = new Set([
  'ad-hoc-sub-process',
  'conditional-event',
  'conditional-flows',
  'end-event-required',
  'event-based-gateway',
  'event-sub-process-typed-start-event',
  'fake-join',
  'global',
  'label-required',
  'link-event',
  'no-complex-gateway',
  'no-disconnected',
  'no-duplicate-sequence-flows',
  'no-gateway-join-fork',
  'no-implicit-end',
  'no-implicit-split',
  'no-implicit-start',
  'no-inclusive-gateway',
  'single-blank-start-event',
  'single-event-definition',
  'start-event-required',
  'sub-process-blank-start-event',
  'superfluous-gateway',
  'superfluous-label',
  'superfluous-termination',
]);

/** The core rules that read element names (checked against each rule's source); all are layout-blind. */
export const NAME_READING_RULES: ReadonlySet<string> = new Set([
  'global',
  'label-required',
  'link-event',
  'superfluous-label',
]);

/**
 * The core rules that check BPMNDI nodes as the lint walk reaches them. The other core rules read
 * the interchange, if at all, from `bpmn:Definitions` down, so the walk need not take them there.
 */
export const INTERCHANGE_WALKING_RULES: ReadonlySet<string> = new Set(['standard-size']);

/** Whether the lint walk may leave out the diagram interchange for `rule`: a known core rule that does not walk it. */
export function skipsInterchange(rule: string): boolean {
  return (LAYOUT_BLIND_RULES.has(rule) || LAYOUT_READING_RULES.has(rule)) && !INTERCHANGE_WALKING_RULES.has(rule);
}
