import rulesGate from '../rules-gate/index.js';
import ChangeApplier from './change-applier.js';
import OperationApplier from './operation-applier.js';

/** Applies server-applied changes (contract operations) to the canvas under a permit. */
export default {
  __depends__: [rulesGate],
  __init__: ['changeApplier'],
  changeApplier: ['type', ChangeApplier],
  operationApplier: ['type', OperationApplier],
};
