import { xsdValidatorLatency } from '../../observability/metrics.js';
import { lintDefinitions } from './bpmn-lint.js';
import { lintConfigFor, type LintConfig } from './lint-config.js';
import type { ValidationPort } from './validation-port.js';
import type { XsdValidator } from './xsd-validator.js';

/** XSD through validator-py, bpmnlint in-process with each tenant's rule configuration. */
export function createProposalValidation(xsd: XsdValidator, lintPerTenant: Record<string, LintConfig>): ValidationPort {
  return {
    async xsd(xml, ids) {
      const verdict = await xsd.validate(xml, ids);
      xsdValidatorLatency.observe(verdict.durationMs / 1000);
      return verdict;
    },
    lint: (tenantId, definitions, base) => lintDefinitions(definitions, lintConfigFor(tenantId, lintPerTenant), base),
  };
}
