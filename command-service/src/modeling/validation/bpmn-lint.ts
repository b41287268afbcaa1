import type { Operation } from '@flowledger/bpmn-operations';
import { violation, type Violation } from '../rejection.js';
import type { LintConfig } from './lint-config.js';
import { reusableRules } from './lint-reuse.js';
import { compileLintConfig, lint, type CompiledLintConfig, type LintReports } from './lint-runner.js';

export interface LintResult {
  errors: Violation[];
  warnings: Violation[];
  /** What the next version's lint may start from (`LintBase`). */
  memo: LintMemo;
}

/** A version's findings per rule, under the configuration they were found with. */
export interface LintMemo {
  configKey: string;
  reports: LintReports;
}

/** The previous version's findings and the operations that led from it to the model being linted. */
export interface LintBase {
  memo: LintMemo;
  operations: readonly Operation[];
}

// Each configuration is resolved once (rule modules, `extends`); per-tenant configurations are
// built per call, so they are keyed by content.
const compiled = new Map<string, Promise<CompiledLintConfig>>();

/**
 * Runs the bpmnlint rules of `config` over a moddle `bpmn:Definitions`; a rule that crashes
 * becomes a report, not a crash. With a `base` under the same configuration, the rules whose
 * findings the operations cannot have changed are taken from it (lint-reuse.ts).
 */
export async function lintDefinitions(definitions: unknown, config: LintConfig, base?: LintBase): Promise<LintResult> {
  const key = JSON.stringify(config);
  let rules = compiled.get(key);
  if (!rules) {
    rules = compileLintConfig(config);
    rules.catch(() => compiled.delete(key));
    compiled.set(key, rules);
  }
  const resolved = await rules;
  const reuse =
    base && base.memo.configKey === key
      ? {
          reports: base.memo.reports,
          rules: reusableRules(
            resolved.rules.map((r) => r.name),
            base.operations,
          ),
        }
      : undefined;
  const reports = lint(definitions as Parameters<typeof lint>[0], resolved, reuse);
  const result: LintResult = { errors: [], warnings: [], memo: { configKey: key, reports } };
  for (const [rule, entries] of Object.entries(reports)) {
    for (const entry of entries) {
      const v = violation({ elementId: entry.id ?? '', rule, message: entry.message });
      // 'rule-error' (a rule that crashed) is reported as a warning: our bug must not reject the user's edit.
      (entry.category === 'error' ? result.errors : result.warnings).push(v);
    }
  }
  return result;
}
