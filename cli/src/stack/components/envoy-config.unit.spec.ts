import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadStackConfig } from '@flowledger/config';
import { envoyConfigValues, renderEnvoyConfig } from './envoy-config.js';

const template = readFileSync(new URL('../../../../infra/envoy/envoy.template.yaml', import.meta.url), 'utf8');

describe('envoy config rendering', () => {
  it('fills the ports and upstream from the stack config and leaves no placeholder', () => {
    const config = loadStackConfig({
      FLOWLEDGER_EDGE_PORT: '18080',
      FLOWLEDGER_ENVOY_ADMIN_PORT: '19901',
      FLOWLEDGER_GRPC_PORT: '15051',
      FLOWLEDGER_WEB_PORT: '15180',
      FLOWLEDGER_QUERY_PORT: '15081',
    });

    const yaml = renderEnvoyConfig(template, envoyConfigValues(config));

    expect(yaml).not.toMatch(/\{\{/);
    expect(yaml).toContain('address: 127.0.0.1, port_value: 19901');
    expect(yaml).toContain('address: 0.0.0.0, port_value: 18080');
    expect(yaml).toContain('address: localhost, port_value: 15051');
    expect(yaml).toContain('address: localhost, port_value: 15081');
    expect(yaml).toContain('address: localhost, port_value: 15180');
  });

  it('takes the upstream host from the configured host, IPv6 brackets removed', () => {
    expect(envoyConfigValues(loadStackConfig({ FLOWLEDGER_HOST: '[::1]' })).commandServiceHost).toBe('::1');
    expect(envoyConfigValues(loadStackConfig({ FLOWLEDGER_HOST: 'cmd.internal' })).commandServiceHost).toBe(
      'cmd.internal',
    );
  });

  it('routes presence to the command service without a stream timeout, behind the JWT check', () => {
    const yaml = renderEnvoyConfig(template, envoyConfigValues(loadStackConfig({})));

    expect(yaml).toMatch(
      /- match: \{ prefix: '\/flowledger\.modeling\.v1\.PresenceService\/' \}\s+route: \{ cluster: command_service, timeout: 0s \}/,
    );
    // the JWT rule for the modeling package covers presence too
    expect(yaml).toMatch(
      /- match: \{ prefix: '\/flowledger\.modeling\.' \}\s+requires: \{ provider_name: flowledger \}/,
    );
  });

  it('routes reviews to the command service with a bounded timeout, before the catch-all, behind the JWT check', () => {
    const yaml = renderEnvoyConfig(template, envoyConfigValues(loadStackConfig({})));

    const review = yaml.search(
      /- match: \{ prefix: '\/flowledger\.modeling\.v1\.ReviewService\/' \}\s+route: \{ cluster: command_service, timeout: 60s \}/,
    );
    expect(review).toBeGreaterThan(0);
    // Envoy takes the first matching route: the catch-all for /flowledger. must come after it
    expect(yaml.indexOf("- match: { prefix: '/flowledger.' }")).toBeGreaterThan(review);
    expect(yaml).toMatch(
      /- match: \{ prefix: '\/flowledger\.modeling\.' \}\s+requires: \{ provider_name: flowledger \}/,
    );
  });

  it('refuses a placeholder it has no value for', () => {
    const values = envoyConfigValues(loadStackConfig({}));
    expect(() => renderEnvoyConfig('port: {{noSuchPort}}', values)).toThrow(/noSuchPort/);
  });
});
