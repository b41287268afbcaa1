import Permits from './permits.js';
import GestureAllowance from './gesture-allowance.js';
import RulesGate from './rules-gate.js';
import GatedCommandStack from './gated-command-stack.js';

/**
 * The Rules Gate: no modeling command runs without a permit (DESIGN.md §7). Replaces
 * diagram-js's `commandStack` with one that asks the gate first.
 */
export default {
  __init__: ['rulesGate'],
  commandStack: ['type', GatedCommandStack],
  permits: ['type', Permits],
  gestureAllowance: ['type', GestureAllowance],
  rulesGate: ['type', RulesGate],
};
