import type { StackConfig } from '@flowledger/config';

/** What a component needs from the stack runner while it installs and starts. */
export interface StackContext {
  config: StackConfig;
  /** Absolute path of the checkout. */
  root: string;
  /** Absolute path of `var/` (git-ignored; downloads, data, logs, pid files). */
  varDir: string;
  /** Runs a command to completion, its output going to the component's install log; throws with the log tail on failure. */
  run(cmd: string, args: string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<void>;
  /** One line of progress shown to the user (downloads, formatting, migrations). */
  progress(message: string): void;
}

/** How to launch a long-running process; the runner detaches it and keeps its pid and log under var/. */
export interface LaunchSpec {
  cmd: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Lower CPU priority (nice) for every thread of the process, started through `nice`. */
  niceness?: number;
}

/**
 * One server of the embedded stack. Each component installs itself into var/ (idempotent),
 * says how to launch, and answers whether it is healthy. A component configured as external
 * (pointed at a production cluster) is only health-checked, never started.
 */
export interface Component {
  /** Key in `stack status --json`. */
  name: string;
  /** Components that must be healthy before this one starts. */
  dependsOn: string[];
  endpoint(config: StackConfig): string;
  credentials?(config: StackConfig): { username: string; password: string };
  external?(config: StackConfig): boolean;
  install(ctx: StackContext): Promise<void>;
  launch(ctx: StackContext): Promise<LaunchSpec>;
  /** Resolves true once the component serves requests; must not throw. */
  healthy(ctx: StackContext): Promise<boolean>;
  /** After the first healthy check: one-time setup such as creating databases (idempotent). */
  afterStart?(ctx: StackContext): Promise<void>;
  /** Seconds to wait for health before the start counts as failed. */
  startTimeoutSeconds?: number;
  /** Signal for a clean stop (default SIGTERM; Postgres wants SIGINT, its "fast" shutdown). */
  stopSignal?: NodeJS.Signals;
}
