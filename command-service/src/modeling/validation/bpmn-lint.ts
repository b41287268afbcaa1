import { createRequire } from 'node:module';
import { violation, type Violation } from '../rejection.js';
import type { LintConfig } from './lint-config.js';

const require = createRequire(import.meta.url);
// bpmnlint is CommonJS and ships its node resolver as a deep file.
const { Linter } = require('bpmnlint') as { Linter: new (options: unknown) => BpmnLinter };
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver') as new () => unknown;

interface BpmnLinter {
  lint(definitions: unknown): Promise<Record<string, Array<{ id?: string; message: string; category: string }>>>;
}

export interface LintResult {
  errors: Violation[];
  warnings: Violation[];
}

// The resolver is shared (rule modules load once); the Linter is not: it keeps each rule
// instance for its lifetime, and some rules keep state in it (no-duplicate-sequence-flows
// remembers every flow it has seen), so a reused Linter reports flows of earlier lints —
// of other diagrams too — as duplicates. A fresh Linter costs ~0.5 ms.
const resolver = new NodeResolver();

/** Runs bpmnlint over a moddle `bpmn:Definitions`; a rule that crashes becomes a report, not a crash. */
export async function lintDefinitions(definitions: unknown, config: LintConfig): Promise<LintResult> {
  const reports = await new Linter({ config, resolver }).lint(definitions);
  const result: LintResult = { errors: [], warnings: [] };
  for (const [rule, entries] of Object.entries(reports)) {
    for (const entry of entries) {
      const v = violation({ elementId: entry.id ?? '', rule, message: entry.message });
      // 'rule-error' (a rule that crashed) is reported as a warning: our bug must not reject the user's edit.
      (entry.category === 'error' ? result.errors : result.warnings).push(v);
    }
  }
  return result;
}
