import type { StackConfig } from '@flowledger/config';
import type { Component, StackContext } from './component.js';
import { createStackContext } from './stack-context.js';
import { Supervisor } from './supervisor.js';

export type ComponentState = 'up' | 'down';

export interface ComponentStatus {
  state: ComponentState;
  endpoint: string;
  username?: string;
  password?: string;
  /** Whether this checkout started it (false: external, or found running). */
  managed?: boolean;
}

export interface RunnerOptions {
  config: StackConfig;
  root: string;
  varDir: string;
  components: Component[];
  report: (line: string) => void;
}

/**
 * Brings the embedded stack up in dependency order (independent components in parallel),
 * installs what is missing first, and waits for each component's own health check.
 */
export class StackRunner {
  private readonly supervisor: Supervisor;
  private readonly byName: Map<string, Component>;

  constructor(private readonly options: RunnerOptions) {
    this.supervisor = new Supervisor(options.varDir);
    this.byName = new Map(options.components.map((c) => [c.name, c]));
    for (const c of options.components) {
      for (const d of c.dependsOn) {
        if (!this.byName.has(d)) throw new Error(`${c.name} depends on unknown component ${d}`);
      }
    }
  }

  async up(): Promise<void> {
    const { components } = this.options;
    await Promise.all(components.filter((c) => !this.isExternal(c)).map((c) => this.install(c)));
    const started = new Map<string, Promise<void>>();
    const startOne = (c: Component): Promise<void> => {
      let p = started.get(c.name);
      if (!p) {
        p = Promise.all(c.dependsOn.map((d) => startOne(this.byName.get(d)!))).then(() => this.start(c));
        started.set(c.name, p);
      }
      return p;
    };
    const results = await Promise.allSettled(components.map(startOne));
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason?.message ?? r.reason)] : []));
    if (failures.length > 0) throw new Error([...new Set(failures)].join('\n\n'));
  }

  async down(): Promise<string[]> {
    const stopped: string[] = [];
    // Reverse dependency order: dependents first, so nothing loses its backend mid-shutdown.
    for (const c of this.topologicalOrder().reverse()) {
      if (await this.supervisor.stop(c.name, c.stopSignal ?? 'SIGTERM')) stopped.push(c.name);
    }
    return stopped;
  }

  async status(): Promise<Record<string, ComponentStatus>> {
    const entries = await Promise.all(
      this.options.components.map(async (c): Promise<[string, ComponentStatus]> => {
        const ctx = this.context(c);
        const healthy = await withTimeout(c.healthy(ctx), 5000, false);
        return [
          c.name,
          {
            state: healthy ? 'up' : 'down',
            endpoint: c.endpoint(this.options.config),
            ...(c.credentials?.(this.options.config) ?? {}),
            managed: this.supervisor.runningPid(c.name) !== undefined,
          },
        ];
      }),
    );
    return Object.fromEntries(entries);
  }

  private async install(c: Component): Promise<void> {
    const t0 = Date.now();
    await c.install(this.context(c));
    const seconds = (Date.now() - t0) / 1000;
    if (seconds > 1) this.options.report(`${c.name}: installed (${seconds.toFixed(1)} s)`);
  }

  private async start(c: Component): Promise<void> {
    const ctx = this.context(c);
    const endpoint = c.endpoint(this.options.config);
    if (await c.healthy(ctx)) {
      await c.afterStart?.(ctx);
      this.options.report(`${c.name}: already up at ${endpoint}`);
      return;
    }
    if (this.isExternal(c)) {
      throw new Error(`${c.name}: external endpoint ${endpoint} is not healthy`);
    }
    if (this.supervisor.runningPid(c.name) !== undefined) {
      // Ours, but not healthy: a previous start is still coming up, or it hangs. Restart it.
      await this.supervisor.stop(c.name, c.stopSignal ?? 'SIGTERM');
    }
    const t0 = Date.now();
    this.options.report(`${c.name}: starting`);
    const pid = this.supervisor.start(c.name, await c.launch(ctx));
    const timeout = (c.startTimeoutSeconds ?? 90) * 1000;
    while (!(await c.healthy(ctx))) {
      if (this.supervisor.runningPid(c.name) === undefined) {
        throw new Error(
          `${c.name}: exited during start (pid ${pid}); last lines of ${this.supervisor.logFile(c.name)}:\n${this.supervisor.logTail(c.name)}`,
        );
      }
      if (Date.now() - t0 > timeout) {
        throw new Error(
          `${c.name}: not healthy after ${timeout / 1000} s; last lines of ${this.supervisor.logFile(c.name)}:\n${this.supervisor.logTail(c.name)}`,
        );
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    await c.afterStart?.(ctx);
    this.options.report(`${c.name}: up at ${endpoint} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }

  private isExternal(c: Component): boolean {
    return c.external?.(this.options.config) ?? false;
  }

  private context(c: Component): StackContext {
    const { config, root, varDir, report } = this.options;
    return createStackContext(c.name, config, root, varDir, report);
  }

  private topologicalOrder(): Component[] {
    const order: Component[] = [];
    const seen = new Set<string>();
    const visit = (c: Component) => {
      if (seen.has(c.name)) return;
      seen.add(c.name);
      c.dependsOn.forEach((d) => visit(this.byName.get(d)!));
      order.push(c);
    };
    this.options.components.forEach(visit);
    return order;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  return Promise.race([p, new Promise<T>((r) => setTimeout(() => r(fallback), ms).unref())]);
}
