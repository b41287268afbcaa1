import type { CallIds } from '../call-ids.js';
import type { Violation } from '../rejection.js';
import type { LintBase, LintResult } from './bpmn-lint.js';

/** The two validators of a proposal's result: the OMG XSDs (validator-py) and bpmnlint. */
export interface ValidationPort {
  xsd(xml: string, ids?: CallIds): Promise<{ valid: boolean; violations: Violation[] }>;
  /** With `base` (the previous version's findings), only what the operations may have changed is linted again. */
  lint(tenantId: string, definitions: unknown, base?: LintBase): Promise<LintResult>;
}
