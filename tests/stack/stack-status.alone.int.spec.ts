import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';

const run = promisify(execFile);
// The endpoints configured for this run (the stable defaults unless overridden; see stack-config.unit.spec.ts).
const config = loadStackConfig();
const cli = (...args: string[]) => run(process.execPath, ['cli/bin/flowledger.js', ...args], { encoding: 'utf8' });

describe('npx flowledger stack status --json', () => {
  it('prints one JSON object with every component up at its stable endpoint, with dev credentials', async () => {
    const { stdout } = await cli('stack', 'status', '--json');
    const status = JSON.parse(stdout) as Record<
      string,
      { state: string; endpoint: string; username?: string; password?: string }
    >;

    // The infrastructure DESIGN.md §2 names, plus each service (command service, projectors, ...).
    expect(Object.keys(status)).toEqual(
      expect.arrayContaining([
        'kafka',
        'schemaRegistry',
        'postgres',
        'neo4j',
        'envoy',
        'validator',
        'oidc',
        'commandService',
      ]),
    );
    for (const [name, s] of Object.entries(status)) expect({ name, state: s.state }).toEqual({ name, state: 'up' });
    expect(status.kafka!.endpoint).toBe(config.kafka.brokers.join(','));
    expect(status.neo4j!.endpoint).toBe(config.neo4j.url);
    expect(status.envoy!.endpoint).toBe(config.edge.url);
    expect(status.commandService!.endpoint).toBe(`grpc://${config.grpc.address}`);
    expect(status.schemaRegistry!.endpoint).toBe(config.schemaRegistry.url);
    for (const name of ['postgres', 'neo4j']) {
      expect(status[name]).toMatchObject({ username: expect.any(String), password: expect.any(String) });
    }
  });

  it('stack up on a running stack starts nothing and reports every component already up', async () => {
    const { stderr } = await cli('stack', 'up');
    expect(stderr).not.toMatch(/: starting/);
    const { stdout } = await cli('stack', 'status', '--json');
    expect(stderr.match(/already up at/g)?.length).toBe(Object.keys(JSON.parse(stdout)).length);
  });
});

describe('npx flowledger token', () => {
  it('prints a signed JWT alone on stdout', async () => {
    const { stdout } = await cli('token', '--tenant', 'acme', '--actor', 'alice', '--roles', 'editor,viewer');
    expect(stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const claims = JSON.parse(Buffer.from(stdout.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ tenant_id: 'acme', actor_id: 'alice', roles: ['editor', 'viewer'] });
  });
});
