import Permits from './permits.js';
import UserInput from './user-input.js';
import RulesGate from './rules-gate.js';
import ExecutionGuard from './execution-guard.js';

/** The Rules Gate: no modeling command runs without a permit (DESIGN.md §7). */
export default {
  __init__: ['rulesGate', 'executionGuard'],
  permits: ['type', Permits],
  userInput: ['type', UserInput],
  rulesGate: ['type', RulesGate],
  executionGuard: ['type', ExecutionGuard],
};
