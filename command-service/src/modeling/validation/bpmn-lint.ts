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

// One linter per distinct configuration: resolving rules is the slow part, linting is not.
const linters = new Map<string, BpmnLinter>();
const resolver = new NodeResolver();

/** Runs bpmnlint over a moddle `bpmn:Definitions`; a rule that crashes becomes a report, not a crash. */
export async function lintDefinitions(definitions: unknown, config: LintConfig): Promise<LintResult> {
  const key = JSON.stringify(config);
  let linter = linters.get(key);
  if (!linter) {
    linter = new Linter({ config, resolver });
    linters.set(key, linter);
  }
  const reports = await linter.lint(definitions);
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
