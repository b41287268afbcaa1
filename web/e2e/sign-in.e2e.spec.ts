import { describe, expect, it } from 'vitest';
import { uniqueTenant } from '../../tests/support/test-tenant.js';
import { useChromium } from './support/chromium.js';
import { EditorPage } from './support/editor-page.js';

/** A new user: opens the URL, signs in at the embedded issuer (code + PKCE), creates a diagram and edits it. */
describe('sign-in with the embedded OIDC issuer', () => {
  const browser = useChromium();

  it('signs in with authorization code + PKCE and lands back where it started', async () => {
    const tenant = uniqueTenant('web-signin');
    const page = await (await browser().newContext()).newPage();
    await page.goto(`${EditorPage.baseUrl()}/`);

    // The issuer's development sign-in page: any login actor@tenant, any password.
    await page.waitForSelector('input[name=login]');
    await page.fill('input[name=login]', `carol@${tenant}`);
    await page.fill('input[name=password]', 'any');
    const loginPage = page.url();
    await Promise.all([page.waitForURL((url) => url.href !== loginPage), page.click('button[type=submit]')]);
    // The issuer may ask for consent once ("Continue").
    if (new URL(page.url()).origin !== EditorPage.baseUrl()) await page.click('button[type=submit]');
    await page.waitForURL((url) => url.origin === EditorPage.baseUrl() && !url.pathname.startsWith('/auth/'));

    await page.waitForSelector('[data-testid=identity]');
    expect(await page.textContent('[data-testid=identity]')).toBe(`carol@${tenant}`);
    await page.fill('input[name=name]', 'Signed in');
    await page.click('button[type=submit]');
    await page.waitForFunction(
      () => document.querySelector<HTMLElement>('[data-testid=version]')?.dataset.version === '1',
    );
    expect(new URL(page.url()).pathname).toMatch(/^\/diagrams\/[0-9a-f-]+$/);
    await page.context().close();
  });
});
