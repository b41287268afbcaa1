import { violation, type Violation } from '../rejection.js';
import type { LintConfig } from './lint-config.js';
import { compileLintConfig, lint, type CompiledLintConfig } from './lint-runner.js';

export interface LintResult {
  errors: Violation[];
  warnings: Violation[];
}

// Each configuration is resolved once (rule modules, `extends`); per-tenant configurations are
// built per call, so they are keyed by content.
const compiled = new Map<string, Promise<CompiledLintConfig>>();

/** Runs the bpmnlint rules of `config` over a moddle `bpmn:Definitions`; a rule that crashes becomes a report, not a crash. */
export async function lintDefinitions(definitions: unknown, config: LintConfig): Promise<LintResult> {
  const key = JSON.stringify(config);
  let rules = compiled.get(key);
  if (!rules) {
    rules = compileLintConfig(config);
    rules.catch(() => compiled.delete(key));
    compiled.set(key, rules);
  }
  const reports = lint(definitions as Parameters<typeof lint>[0], await rules);
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
