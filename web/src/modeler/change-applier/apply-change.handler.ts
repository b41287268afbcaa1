import type OperationApplier from './operation-applier.js';
import type { Operation } from '../operations.js';

export interface ApplyChangeContext {
  operations: Operation[];
  /** Temporary → permanent ids, as the server assigned them. */
  idMap: Record<string, string>;
  version: number;
}

/**
 * `flowledger.applyChange`: one applied version as one command. Its work is the nested
 * modeling commands run in preExecute, so undo/redo of the step comes from theirs.
 */
export default class ApplyChangeHandler {
  static $inject = ['operationApplier'];

  constructor(private readonly operationApplier: OperationApplier) {}

  preExecute(context: ApplyChangeContext): void {
    const permanent = (id: string) => context.idMap[id] ?? id;
    for (const operation of context.operations) this.operationApplier.apply(operation, permanent);
  }

  execute(): unknown[] {
    return [];
  }

  revert(): unknown[] {
    return [];
  }
}
