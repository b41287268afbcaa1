// The embedded dev OIDC issuer: discovery, JWKS, code + PKCE sign-in for the web app.
// Run as `node --import tsx infra/oidc/src/main.ts` from the checkout (the stack runner does).
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStackConfig } from '@flowledger/config';
import Provider from 'oidc-provider';
import { loadOrCreateSigningKeys } from './key-file.js';
import { providerConfiguration } from './provider-configuration.js';

const config = loadStackConfig();
if (config.oidc.external) {
  log(
    'error',
    `FLOWLEDGER_OIDC_ISSUER is set (${config.oidc.issuer}): the stack uses that IdP, not the embedded issuer`,
  );
  process.exit(1);
}

const root = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const signingKeys = await loadOrCreateSigningKeys(join(root, 'var'));
const provider = new Provider(
  config.oidc.issuer,
  providerConfiguration({
    signingKeys,
    webOrigin: config.edge.url,
    // Per process: a restart signs everyone out of the dev issuer, which is fine for development.
    cookieKeys: [randomBytes(32).toString('base64url')],
  }),
);
provider.on('server_error', (_ctx, error) => log('error', `server error: ${error.message}`));

const bound: Server[] = [];
try {
  for (const address of bindAddresses(config.host)) {
    const server = await listen(address, config.oidc.port);
    if (server) bound.push(server);
  }
} catch (error) {
  log('error', `cannot listen on port ${config.oidc.port}: ${(error as Error).message}`);
  process.exit(1);
}
log('info', `issuer ${config.oidc.issuer} listening on port ${config.oidc.port}`, { kid: signingKeys.keys[0]?.kid });

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    for (const server of bound) server.close();
    // Keep-alive connections would hold close() open; the issuer keeps no state worth draining.
    setTimeout(() => process.exit(0), 200).unref();
  });
}

/** On localhost, both loopback families (clients resolve `localhost` either way), never every interface. */
function bindAddresses(host: string): string[] {
  return host === 'localhost' ? ['127.0.0.1', '::1'] : [host];
}

function listen(address: string, port: number): Promise<Server | undefined> {
  return new Promise((done, fail) => {
    const server = createServer(provider.callback());
    server.once('error', (error: NodeJS.ErrnoException) => {
      // A machine without IPv6 loopback still serves on IPv4.
      if (address === '::1' && (error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT')) done(undefined);
      else fail(error);
    });
    server.listen(port, address, () => done(server));
  });
}

function log(level: 'info' | 'error', message: string, fields: Record<string, unknown> = {}): void {
  const stream = level === 'error' ? process.stderr : process.stdout;
  stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, component: 'oidc', message, ...fields })}\n`);
}
