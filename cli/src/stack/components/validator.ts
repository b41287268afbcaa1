import { join } from 'node:path';
import type { Component, StackContext } from '../component.js';
import { isGrpcServing } from '../grpc-health-probe.js';
import { fingerprint, isInstalled, markInstalled } from '../install-marker.js';

const SERVICE = 'flowledger.validation.v1.XsdValidatorService';

/** Where validator-py serves /metrics (its config.py reads the same variable and default). */
const metricsPort = () => process.env.FLOWLEDGER_VALIDATOR_METRICS_PORT ?? '9465';

/**
 * The XSD Validator (validator-py): a Python gRPC service in its own virtualenv that checks
 * BPMN XML against the OMG BPMN 2.0 XSDs, which it fetches from a pinned Maven Central jar; it
 * also answers on a local Unix socket (`validator.socketPath`) when the stack config names one.
 */
export const validator: Component = {
  name: 'validator',
  dependsOn: [],
  endpoint: (config) => `grpc://${config.validator.address}`,
  startTimeoutSeconds: 30,

  async install(ctx) {
    // Keyed on requirements.txt: a changed pin (or a new package) installs again on the next `stack up`.
    const marker = join(venvDir(ctx), '.flowledger-installed');
    const print = fingerprint(join(projectDir(ctx), 'requirements.txt'));
    if (!isInstalled(marker, print)) {
      ctx.progress(
        'installing validator-py/requirements.txt (lxml, grpcio, prometheus_client) into var/venv/validator',
      );
      await ctx.run('python3', ['-m', 'venv', venvDir(ctx)]);
      await ctx.run(python(ctx), ['-m', 'pip', 'install', '--quiet', '-r', join(projectDir(ctx), 'requirements.txt')]);
      markInstalled(marker, print);
    }
    // Both scripts are idempotent and quick: the XSDs are kept while their checksums match,
    // and the stubs follow the proto whenever it changed.
    await ctx.run(python(ctx), [join(projectDir(ctx), 'scripts', 'fetch_xsds.py')]);
    await ctx.run(python(ctx), [join(projectDir(ctx), 'scripts', 'generate_stubs.py')]);
  },

  async launch(ctx) {
    return {
      cmd: python(ctx),
      args: ['-m', 'flowledger_validator'],
      cwd: projectDir(ctx),
      env: {
        ...process.env,
        FLOWLEDGER_VALIDATOR_PORT: String(ctx.config.validator.port),
        FLOWLEDGER_VALIDATOR_BIND_HOST: ctx.config.host,
        FLOWLEDGER_VALIDATOR_METRICS_PORT: metricsPort(),
        // The command service's fast path; health is still checked over gRPC (below).
        FLOWLEDGER_VALIDATOR_SOCKET: ctx.config.validator.socketPath ?? '',
        // Logs go to var/log/validator.log as they happen.
        PYTHONUNBUFFERED: '1',
      },
    };
  },

  async healthy(ctx) {
    return isGrpcServing(ctx.config.validator.address, join(ctx.root, 'schemas', 'proto'), {
      service: SERVICE,
    });
  },
};

function projectDir(ctx: StackContext): string {
  return join(ctx.root, 'validator-py');
}

function venvDir(ctx: StackContext): string {
  return join(ctx.varDir, 'venv', 'validator');
}

function python(ctx: StackContext): string {
  return join(venvDir(ctx), 'bin', 'python');
}
