import type { StackConfig } from '@flowledger/config';

/** What the browser app needs to know at start; served as /config.json. */
export interface WebClientConfig {
  oidcIssuer: string;
  clientId: string;
  /** Dev tokens in `#token=` are accepted only with the embedded issuer (development). */
  devTokens: boolean;
}

export function webClientConfig(config: StackConfig): WebClientConfig {
  return { oidcIssuer: config.oidc.issuer, clientId: 'flowledger-web', devTokens: !config.oidc.external };
}
