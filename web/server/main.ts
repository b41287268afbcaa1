// The web app's static server: var/web/dist with the SPA fallback, plus /config.json telling
// the browser where to sign in. Envoy routes "/" here; browsers never call it directly.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { loadStackConfig } from '@flowledger/config';
import { resolveRequestPath } from './static-files.js';
import { webClientConfig } from './web-client-config.js';

const config = loadStackConfig();
const distDir = join(import.meta.dirname, '..', '..', 'var', 'web', 'dist');
const indexFile = join(distDir, 'index.html');
if (!existsSync(indexFile)) throw new Error(`no build in ${distDir}: run \`npm run build -w web\``);
const clientConfig = JSON.stringify(webClientConfig(config));

const server = createServer((request, response) => {
  const url = request.url ?? '/';
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  if (url.split('?')[0] === '/config.json') {
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(clientConfig);
    return;
  }
  const resolved = resolveRequestPath(distDir, url);
  if (resolved.kind === 'app') return sendFile(response, indexFile, 'text/html; charset=utf-8', false);
  if (resolved.kind === 'file' && existsSync(resolved.path) && statSync(resolved.path).isFile()) {
    return sendFile(response, resolved.path, resolved.contentType, resolved.immutable);
  }
  response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
});

server.listen(config.web.port, '127.0.0.1', () => {
  console.log(JSON.stringify({ msg: 'web app served', port: config.web.port, distDir }));
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => server.close(() => process.exit(0)));

function sendFile(
  response: import('node:http').ServerResponse,
  path: string,
  contentType: string,
  immutable: boolean,
): void {
  response.writeHead(200, {
    'content-type': contentType,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  createReadStream(path).pipe(response);
}
