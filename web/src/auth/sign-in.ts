import { UserManager, WebStorageStateStore } from 'oidc-client-ts';
import { expired, identityFromToken, type Identity } from './identity.js';

export interface ClientConfig {
  oidcIssuer: string;
  clientId: string;
  devTokens: boolean;
}

const DEV_TOKEN_KEY = 'flowledger.devToken';

export async function loadClientConfig(): Promise<ClientConfig> {
  const response = await fetch('/config.json');
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  return (await response.json()) as ClientConfig;
}

function userManager(config: ClientConfig): UserManager {
  return new UserManager({
    authority: config.oidcIssuer,
    client_id: config.clientId,
    redirect_uri: `${location.origin}/auth/callback`,
    post_logout_redirect_uri: `${location.origin}/`,
    response_type: 'code',
    scope: 'openid flowledger',
    // Per tab, like the dev token: two windows may be two users.
    userStore: new WebStorageStateStore({ store: sessionStorage }),
  });
}

/**
 * The signed-in user, or a redirect to sign in. In the embedded default a dev token may come
 * in the URL fragment (`#token=<jwt>`, for automation); it is kept for this tab only.
 */
export async function signedIn(config: ClientConfig): Promise<Identity | undefined> {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  const fragmentToken = fragment.get('token');
  if (fragmentToken && config.devTokens) {
    sessionStorage.setItem(DEV_TOKEN_KEY, fragmentToken);
    history.replaceState(null, '', location.pathname + location.search);
  }
  const now = Date.now() / 1000;
  const devToken = config.devTokens ? sessionStorage.getItem(DEV_TOKEN_KEY) : null;
  if (devToken) {
    const identity = identityFromToken(devToken);
    if (!expired(identity, now)) return identity;
    sessionStorage.removeItem(DEV_TOKEN_KEY);
  }
  const user = await userManager(config).getUser();
  if (user && !user.expired) return identityFromToken(user.access_token);
  await userManager(config).signinRedirect({ state: { returnTo: location.pathname } });
  return undefined;
}

/** /auth/callback: finishes the code + PKCE exchange and returns where sign-in started. */
export async function completeSignIn(config: ClientConfig): Promise<string> {
  const user = await userManager(config).signinRedirectCallback();
  const state = user.state as { returnTo?: string } | undefined;
  return state?.returnTo ?? '/';
}

export async function signOut(config: ClientConfig): Promise<void> {
  sessionStorage.removeItem(DEV_TOKEN_KEY);
  await userManager(config).signoutRedirect();
}
