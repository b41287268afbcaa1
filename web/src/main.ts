import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import 'bpmn-js/dist/assets/bpmn-font/css/bpmn-embedded.css';
import './app.css';
import { Code, ConnectError } from '@connectrpc/connect';
import { modelingApi, presenceApi } from './api/modeling-api.js';
import { completeSignIn, loadClientConfig, signedIn } from './auth/sign-in.js';
import { showDiagramList } from './pages/diagram-list-page.js';
import { showEditor } from './pages/editor-page.js';

const SIGNED_OUT_AT = 'flowledger.signedOutAt';

/** Routes: `/` the diagram list, `/diagrams/<id>` the editor, `/auth/callback` the end of sign-in. */
async function start(): Promise<void> {
  const root = document.getElementById('app')!;
  const config = await loadClientConfig();
  if (location.pathname.startsWith('/auth/callback')) {
    location.replace(await completeSignIn(config));
    return;
  }
  const identity = await signedIn(config);
  if (!identity) return; // on the way to the sign-in page
  const api = modelingApi(() => identity.token);
  const match = /^\/diagrams\/([^/]+)\/?$/.exec(location.pathname);
  if (match) {
    const presence = presenceApi(() => identity.token);
    await showEditor(root, api, presence, identity, decodeURIComponent(match[1]!), config);
  } else await showDiagramList(root, api, identity, config);
}

// An expired or revoked token: sign in again (the sign-in returns to this page).
window.addEventListener('unhandledrejection', (event) => {
  if (event.reason instanceof ConnectError && event.reason.code === Code.Unauthenticated) forgetSession();
});

start().catch((error: unknown) => {
  if (error instanceof ConnectError && error.code === Code.Unauthenticated) return forgetSession();
  showFatal((error as Error).message ?? String(error));
});

/** Signs in again — unless that just happened and the new token was refused too (no redirect loop). */
function forgetSession(): void {
  const last = Number(localStorage.getItem(SIGNED_OUT_AT) ?? 0);
  if (Date.now() - last < 30_000) {
    showFatal('the server refused the sign-in token (is the API configured for this issuer?)');
    return;
  }
  localStorage.setItem(SIGNED_OUT_AT, String(Date.now()));
  sessionStorage.clear();
  location.reload();
}

function showFatal(text: string): void {
  const message = document.createElement('pre');
  message.className = 'fl-fatal';
  message.textContent = `flowledger could not start: ${text}`;
  document.body.replaceChildren(message);
}
