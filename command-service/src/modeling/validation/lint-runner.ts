import { createRequire } from 'node:module';
import type { LintConfig } from './lint-config.js';
import { skipsInterchange } from './lint-rule-aspects.js';

const require = createRequire(import.meta.url);
// bpmnlint is CommonJS and ships its node resolver as a deep file.
const { Linter } = require('bpmnlint') as { Linter: new (options: unknown) => ConfigResolver };
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver') as new () => RuleResolver;

/** One finding, shaped as bpmnlint's `Linter.lint` reports it. */
export interface LintReport {
  id?: string;
  message: string;
  category: string;
  meta?: unknown;
  [extra: string]: unknown;
}

/** Findings keyed by rule name; rules without findings are left out (as bpmnlint does). */
export type LintReports = Record<string, LintReport[]>;

/** A configuration's enabled rules, resolved once: what `lint` instantiates afresh per run. */
export interface CompiledLintConfig {
  rules: ReadonlyArray<{
    name: string;
    category: string;
    config: unknown;
    factory: RuleFactory;
    /** The rule checks no BPMNDI node: the walk leaves out the diagram interchange (most of the nodes) for it. */
    skipsInterchange?: boolean;
  }>;
}

/**
 * Resolves a bpmnlint configuration (`extends`, rule levels, plugin rules) the way bpmnlint
 * does, down to each enabled rule's factory.
 */
export async function compileLintConfig(config: LintConfig): Promise<CompiledLintConfig> {
  const linter = new Linter({ config, resolver });
  const configured = await linter.resolveConfiguredRules(config);
  const rules = await Promise.all(
    Object.entries(configured).map(async ([name, value]) => {
      const { category, config: ruleConfig } = linter.parseRuleValue(value);
      if (category === 'off') return undefined;
      const { pkg, ruleName } = linter.parseRuleName(name);
      const factory = await resolver.resolveRule(pkg, ruleName);
      if (!factory) throw new Error(`unknown lint rule <${name}>`);
      return { name, category, config: ruleConfig, factory, skipsInterchange: skipsInterchange(name) };
    }),
  );
  return { rules: rules.filter((r) => r !== undefined) };
}

/**
 * Lints a moddle tree with every rule of `compiled` in ONE depth-first walk, with the same
 * results as bpmnlint's `Linter.lint`, which walks the whole tree once per rule (26 walks for our
 * default configuration — most of the lint time). As there, each rule may skip a subtree by
 * returning `false` from `enter` (for itself only), `leave` runs for every node the rule
 * entered, and a rule that throws yields a single `rule-error` report instead of its findings.
 * Rules are instantiated for each run: some keep state (no-duplicate-sequence-flows). Rules that
 * check no BPMNDI node (lint-rule-aspects.ts) do not visit the diagram interchange
 * (`bpmn:Definitions.diagrams`), about three quarters of a diagram's nodes.
 */
export function lint(root: ModdleNode, compiled: CompiledLintConfig, reuse?: ReusedReports): LintReports {
  const runs = compiled.rules
    .filter((r) => !reuse?.rules.has(r.name))
    .map((r) => new RuleRun(r.name, r.category, r.factory(r.config), r.skipsInterchange === true));
  visit(root, runs);
  const fresh = new Map(runs.map((run) => [run.name, run.results()]));
  // In the configuration's rule order, whichever rules ran: the same object bpmnlint builds.
  const reports: LintReports = {};
  for (const { name } of compiled.rules) {
    const found = fresh.get(name) ?? reuse?.reports[name] ?? [];
    if (found.length > 0) reports[name] = found;
  }
  return reports;
}

/** Rules whose findings are taken from an earlier run of the same configuration instead of running again. */
export interface ReusedReports {
  rules: ReadonlySet<string>;
  reports: LintReports;
}

interface ModdleNode {
  $type: string;
  $descriptor: { isGeneric?: boolean; properties: PropertyDescriptor[] };
  [property: string]: unknown;
}

interface PropertyDescriptor {
  name: string;
  type: string;
  isAttr?: boolean;
  isReference?: boolean;
  isMany?: boolean;
}

/** What a rule reports through (bpmnlint's Reporter). */
export interface LintReporter {
  report(id: string, message: string, path?: unknown): void;
}
type RuleCheck = (node: ModdleNode, reporter: LintReporter) => boolean | void;
export type RuleFactory = (config: unknown) => {
  check: RuleCheck | { enter?: RuleCheck; leave?: RuleCheck };
  meta?: unknown;
};

interface ConfigResolver {
  resolveConfiguredRules(config: LintConfig): Promise<Record<string, unknown>>;
  parseRuleValue(value: unknown): { category: string; config: unknown };
  parseRuleName(name: string): { pkg: string; ruleName: string };
}

interface RuleResolver {
  resolveRule(pkg: string, ruleName: string): Promise<RuleFactory | undefined> | RuleFactory | undefined;
}

// Shared by every configuration: rule modules load once.
const resolver = new NodeResolver();

/** One rule's pass over the tree: its check functions, its reporter, and whether it crashed. */
class RuleRun {
  readonly enter: RuleCheck | undefined;
  readonly leave: RuleCheck | undefined;
  readonly meta: unknown;
  private readonly messages: Array<Record<string, unknown>> = [];
  private crash: Error | undefined;
  readonly reporter: LintReporter = {
    report: (id, message, path) => {
      let report: Record<string, unknown> = { id, message };
      if (Array.isArray(path)) report = { ...report, path };
      else if (isPlainObject(path)) report = { ...report, ...path };
      this.messages.push(report);
    },
  };

  constructor(
    readonly name: string,
    private readonly category: string,
    rule: ReturnType<RuleFactory>,
    readonly skipsInterchange: boolean,
  ) {
    const check = rule.check ?? {};
    this.enter = typeof check === 'function' ? check : check.enter;
    this.leave = typeof check === 'function' ? undefined : check.leave;
    if (!this.enter && !this.leave) this.crash = new Error('no check implemented');
    this.meta = rule.meta;
  }

  get crashed(): boolean {
    return this.crash !== undefined;
  }

  /** Runs `check` on `node`; a throw ends this rule's run. */
  call(check: RuleCheck, node: ModdleNode): boolean | void {
    try {
      return check(node, this.reporter);
    } catch (error) {
      this.crash = error as Error;
      return false;
    }
  }

  results(): LintReport[] {
    if (this.crash) return [{ message: this.crash.message, category: 'rule-error' }];
    return this.messages.map((m) => ({ ...m, meta: this.meta, category: this.category }) as LintReport);
  }
}

function visit(node: ModdleNode, runs: RuleRun[]): void {
  const descend: RuleRun[] = [];
  for (const run of runs) {
    if (run.crashed) continue;
    if (!run.enter || run.call(run.enter, node) !== false) {
      if (!run.crashed) descend.push(run);
    }
  }
  if (descend.length > 0 && !node.$descriptor.isGeneric) {
    const interchange = diagramInterchange(node);
    for (const p of containedProperties(node.$descriptor)) {
      if (!(p.name in node)) continue;
      const value = node[p.name];
      const runs = p === interchange ? descend.filter((run) => !run.skipsInterchange) : descend;
      if (runs.length === 0) continue;
      if (p.isMany) for (const child of value as ModdleNode[]) visit(child, runs);
      else visit(value as ModdleNode, runs);
    }
  }
  for (const run of runs) {
    if (run.leave && !run.crashed) run.call(run.leave, node);
  }
}

/** `bpmn:Definitions.diagrams`, where all of the diagram interchange (BPMNDI) hangs; undefined on other nodes. */
function diagramInterchange(node: ModdleNode): PropertyDescriptor | undefined {
  return node.$type === 'bpmn:Definitions' ? node.$descriptor.properties.find((p) => p.name === 'diagrams') : undefined;
}

const SIMPLE_TYPES = new Set(['String', 'Boolean', 'Integer', 'Real']);
const containedCache = new WeakMap<object, PropertyDescriptor[]>();

/** The properties holding child elements (bpmnlint's traverse computes this at every node). */
function containedProperties(descriptor: ModdleNode['$descriptor']): PropertyDescriptor[] {
  let contained = containedCache.get(descriptor);
  if (!contained) {
    contained = descriptor.properties.filter((p) => !p.isAttr && !p.isReference && !SIMPLE_TYPES.has(p.type));
    containedCache.set(descriptor, contained);
  }
  return contained;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return Object.prototype.toString.call(value) === '[object Object]';
}
