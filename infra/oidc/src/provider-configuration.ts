import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { errors } from 'oidc-provider';
import { accountClaims, devAccount } from './dev-accounts.js';
import { SIGNING_ALG, type PrivateJwkSet } from './signing-keys.js';

/** The API's resource indicator; access tokens issued for it are JWTs with audience `flowledger`. */
export const API_RESOURCE = 'urn:flowledger:api';
export const API_AUDIENCE = 'flowledger';
export const WEB_CLIENT_ID = 'flowledger-web';

export interface ProviderSettings {
  signingKeys: PrivateJwkSet;
  /** Origin of the web app behind the edge, e.g. http://localhost:8080. */
  webOrigin: string;
  /** Keys for signed cookies (interaction and session state). */
  cookieKeys: string[];
}

/**
 * Dev-only settings for the embedded issuer: one public client (code + PKCE), the provider's
 * built-in dev sign-in pages, in-memory storage. Production replaces the whole issuer with any
 * OIDC IdP (FLOWLEDGER_OIDC_ISSUER), so none of this needs to be production-grade.
 */
export function providerConfiguration(settings: ProviderSettings): Configuration {
  return {
    clients: [
      {
        client_id: WEB_CLIENT_ID,
        client_name: 'flowledger web app',
        application_type: 'web',
        token_endpoint_auth_method: 'none', // public client: PKCE is required for it by default
        grant_types: ['authorization_code'],
        response_types: ['code'],
        redirect_uris: [`${settings.webOrigin}/auth/callback`],
        post_logout_redirect_uris: [`${settings.webOrigin}/`],
      },
    ],
    jwks: settings.signingKeys,
    cookies: { keys: settings.cookieKeys },
    responseTypes: ['code'],
    pkce: { required: () => true },
    scopes: ['openid', 'flowledger'],
    claims: { openid: ['sub'], flowledger: ['tenant_id', 'actor_id', 'roles'] },
    async findAccount(_ctx, sub) {
      const account = devAccount(sub);
      if (!account) return undefined;
      return {
        accountId: account.accountId,
        claims: async () => ({ sub: account.accountId, ...accountClaims(account) }),
      };
    },
    // Access tokens carry the same claims as `flowledger token`, so the edge and services need one rule.
    async extraTokenClaims(_ctx, token) {
      const account = 'accountId' in token && token.accountId ? devAccount(token.accountId) : undefined;
      return account ? accountClaims(account) : undefined;
    },
    features: {
      devInteractions: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => API_RESOURCE,
        useGrantedResource: async () => true,
        async getResourceServerInfo(_ctx: KoaContextWithOIDC, resource: string) {
          if (resource !== API_RESOURCE) throw new errors.InvalidTarget();
          return {
            scope: 'flowledger',
            audience: API_AUDIENCE,
            accessTokenFormat: 'jwt',
            accessTokenTTL: 900,
            jwt: { sign: { alg: SIGNING_ALG } },
          };
        },
      },
    },
    ttl: {
      AccessToken: 900,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      Session: 86_400,
      Grant: 86_400,
    },
  };
}
