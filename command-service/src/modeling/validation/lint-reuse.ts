import type { Operation } from '@flowledger/bpmn-operations';

/**
 * Incremental lint (pure): after a proposal that only moves, resizes or reroutes — no element,
 * name, type or parent changes — bpmnlint's rules that never look at the diagram's layout find
 * exactly what they found on the previous version, so only the rest run again.
 *
 * The core rules of bpmnlint 11 that read layout (BPMNDI shapes, bounds, waypoints); a rule not
 * named in LAYOUT_BLIND_RULES (a plugin's, a newer core rule) always runs again too.
 */
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

/** Whether `operations` change the layout only: a move within its parent, a resize, new waypoints. */
export function isLayoutOnly(operations: readonly Operation[]): boolean {
  return (
    operations.length > 0 &&
    operations.every(
      (op) =>
        op.kind === 'resizeShape' ||
        op.kind === 'updateWaypoints' ||
        (op.kind === 'moveElements' && op.newParentId === ''),
    )
  );
}

/** The configured rules whose previous findings still hold after `operations` (none unless layout only). */
export function reusableRules(ruleNames: readonly string[], operations: readonly Operation[]): Set<string> {
  if (!isLayoutOnly(operations)) return new Set();
  return new Set(ruleNames.filter((name) => LAYOUT_BLIND_RULES.has(name)));
}
