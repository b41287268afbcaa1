import type { StackConfig } from '@flowledger/config';

/** The values infra/envoy/envoy.template.yaml is filled with. */
export interface EnvoyConfigValues {
  edgePort: number;
  adminPort: number;
  commandServiceHost: string;
  commandServicePort: number;
  queryServiceHost: string;
  queryServicePort: number;
  oidcIssuer: string;
  oidcJwksUri: string;
  oidcHost: string;
  oidcPort: number;
  webHost: string;
  webPort: number;
}

export function envoyConfigValues(config: StackConfig): EnvoyConfigValues {
  const { host, port } = splitHostPort(config.grpc.address);
  const query = splitHostPort(config.query.address);
  const issuer = new URL(config.oidc.issuer);
  return {
    edgePort: config.edge.port,
    adminPort: config.edge.adminPort,
    commandServiceHost: host,
    commandServicePort: port,
    queryServiceHost: query.host,
    queryServicePort: query.port,
    oidcIssuer: config.oidc.issuer,
    oidcJwksUri: `${config.oidc.issuer.replace(/\/$/, '')}/jwks`,
    oidcHost: issuer.hostname.replace(/^\[(.*)\]$/, '$1'),
    oidcPort: Number(issuer.port || (issuer.protocol === 'https:' ? 443 : 80)),
    webHost: config.host.replace(/^\[(.*)\]$/, '$1'),
    webPort: config.web.port,
  };
}

/** Fills every `{{name}}`; a placeholder without a value is an error, not an empty string. */
export function renderEnvoyConfig(template: string, values: EnvoyConfigValues): string {
  const byName = values as unknown as Record<string, string | number>;
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = byName[name];
    if (value === undefined) throw new Error(`envoy template: no value for {{${name}}}`);
    return String(value);
  });
}

function splitHostPort(address: string): { host: string; port: number } {
  const colon = address.lastIndexOf(':');
  const port = Number(address.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port)) throw new Error(`not host:port: ${address}`);
  // Envoy wants a bare IPv6 literal, without the brackets of the host:port form.
  return { host: address.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port };
}
