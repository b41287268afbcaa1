import type { Identity } from '../auth/identity.js';
import { canEdit } from '../auth/identity.js';
import { signOut, type ClientConfig } from '../auth/sign-in.js';

/** The bar on every page: home link, who is signed in (tenant, roles), sign-out. */
export function pageHeader(identity: Identity, config: ClientConfig, title: string): HTMLElement {
  const header = element('header', 'fl-header');
  const home = element('a', 'fl-home', 'flowledger') as HTMLAnchorElement;
  home.href = '/';
  const heading = element('h1', 'fl-title', title);
  const who = element(
    'span',
    'fl-who',
    `${identity.actorId}@${identity.tenantId}${canEdit(identity) ? '' : ' · view only'}`,
  );
  who.dataset.testid = 'identity';
  const out = element('button', 'fl-button', 'Sign out');
  out.addEventListener('click', () => void signOut(config));
  header.append(home, heading, who, out);
  return header;
}

export function element(tag: string, className: string, text?: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}
