import { loadOrCreateSigningKeys } from '@flowledger/oidc';
import type { Component } from '../component.js';

/**
 * The embedded dev OIDC issuer (infra/oidc). With FLOWLEDGER_OIDC_ISSUER set, the stack uses that
 * IdP instead and this component is only health-checked through its discovery document.
 */
export const oidc: Component = {
  name: 'oidc',
  dependsOn: [],
  endpoint: (config) => config.oidc.issuer,
  external: (config) => config.oidc.external,
  async install(ctx) {
    // Nothing to download: the issuer is a workspace package. Creating the signing keys here means
    // `flowledger token` and the issuer agree on them from the start.
    await loadOrCreateSigningKeys(ctx.varDir);
  },
  async launch(ctx) {
    return { cmd: process.execPath, args: ['--import', 'tsx', 'infra/oidc/src/main.ts'], cwd: ctx.root };
  },
  async healthy(ctx) {
    const issuer = ctx.config.oidc.issuer;
    try {
      const response = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
        signal: AbortSignal.timeout(2_000),
      });
      if (response.status !== 200) return false;
      const discovery = (await response.json()) as { issuer?: unknown };
      return discovery.issuer === issuer;
    } catch {
      return false;
    }
  },
  startTimeoutSeconds: 30,
};
