/** A bpmnlint configuration: `extends` and per-rule levels ('error' rejects, 'warn' reports, 'off'). */
export interface LintConfig {
  extends?: string | string[];
  rules?: Record<string, 'error' | 'warn' | 'off'>;
}

/**
 * The default for every tenant. Collaborative editing passes through many unfinished states
 * (a lone task, a start event without an end), so bpmnlint's completeness rules only warn;
 * only rules that flag a broken model reject.
 */
export const DEFAULT_LINT_CONFIG: LintConfig = {
  rules: {
    'ad-hoc-sub-process': 'warn',
    'conditional-flows': 'warn',
    'end-event-required': 'warn',
    'event-based-gateway': 'warn',
    'event-sub-process-typed-start-event': 'warn',
    'fake-join': 'warn',
    global: 'warn',
    'label-required': 'warn',
    'link-event': 'warn',
    'no-bpmndi': 'warn',
    'no-complex-gateway': 'warn',
    'no-disconnected': 'warn',
    'no-duplicate-sequence-flows': 'error',
    'no-gateway-join-fork': 'warn',
    'no-implicit-split': 'warn',
    'no-implicit-end': 'warn',
    'no-implicit-start': 'warn',
    'no-inclusive-gateway': 'warn',
    'no-overlapping-elements': 'warn',
    'single-blank-start-event': 'warn',
    'single-event-definition': 'error',
    'start-event-required': 'warn',
    'sub-process-blank-start-event': 'warn',
    'superfluous-gateway': 'warn',
    'superfluous-label': 'warn',
    'superfluous-termination': 'warn',
  },
};

/** Per-tenant configurations, e.g. from FLOWLEDGER_LINT_CONFIG = `{"acme": {"rules": {...}}}`. */
export function lintConfigFor(tenantId: string, perTenant: Record<string, LintConfig>): LintConfig {
  const own = perTenant[tenantId];
  if (!own) return DEFAULT_LINT_CONFIG;
  return { ...own, rules: { ...DEFAULT_LINT_CONFIG.rules, ...own.rules } };
}
