import type { Operation } from '@flowledger/bpmn-operations';
import { LAYOUT_BLIND_RULES, LAYOUT_READING_RULES, NAME_READING_RULES } from './lint-rule-aspects.js';

/**
 * Incremental lint (pure): after a proposal that only moves, resizes, reroutes or renames — no
 * element, type, parent or other property changes — bpmnlint's rules that read neither the
 * layout nor (for a rename) names find exactly what they found on the previous version, so only
 * the rest run again. A rule not named in lint-rule-aspects.ts (a plugin's, a newer core rule)
 * always runs again.
 */

/** What a proposal may change without touching the diagram's structure. */
type Aspect = 'layout' | 'names';

/** The one aspect `op` changes, or undefined when it changes more (an element, a type, a parent, another property). */
function aspectOf(op: Operation): Aspect | undefined {
  if (op.kind === 'resizeShape' || op.kind === 'updateWaypoints') return 'layout';
  if (op.kind === 'moveElements' && op.newParentId === '') return 'layout';
  if (op.kind === 'updateProperties') {
    const keys = Object.keys(op.properties);
    if (keys.length > 0 && keys.every((key) => key === 'name')) return 'names';
  }
  return undefined;
}

/** Whether `operations` change the layout only: a move within its parent, a resize, new waypoints. */
export function isLayoutOnly(operations: readonly Operation[]): boolean {
  return operations.length > 0 && operations.every((op) => aspectOf(op) === 'layout');
}

/** The configured rules whose previous findings still hold after `operations` (none unless layout or names only). */
export function reusableRules(ruleNames: readonly string[], operations: readonly Operation[]): Set<string> {
  const aspects = new Set<Aspect>();
  for (const op of operations) {
    const aspect = aspectOf(op);
    if (!aspect) return new Set();
    aspects.add(aspect);
  }
  if (aspects.size === 0) return new Set();
  return new Set(
    ruleNames.filter(
      (name) =>
        (LAYOUT_BLIND_RULES.has(name) || LAYOUT_READING_RULES.has(name)) &&
        !(aspects.has('layout') && LAYOUT_READING_RULES.has(name)) &&
        !(aspects.has('names') && NAME_READING_RULES.has(name)),
    ),
  );
}
