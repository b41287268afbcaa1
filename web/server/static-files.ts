import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.eot': 'application/vnd.ms-fontobject',
  '.map': 'application/json',
};

/** The app's client-side routes: these paths get index.html and the app picks the page. */
const APP_ROUTES = [/^\/$/, /^\/diagrams(\/[^/]+)?\/?$/, /^\/auth\/callback\/?$/];

export type Resolution =
  { kind: 'file'; path: string; contentType: string; immutable: boolean } | { kind: 'app' } | { kind: 'not-found' };

/**
 * Where a request path is served from, inside `distDir` only: a built file, the app's
 * index.html for its own routes (SPA fallback), or nothing.
 */
export function resolveRequestPath(distDir: string, urlPath: string): Resolution {
  let path: string;
  try {
    path = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return { kind: 'not-found' };
  }
  if (APP_ROUTES.some((route) => route.test(path))) return { kind: 'app' };
  const file = normalize(join(distDir, path));
  if (!file.startsWith(distDir + sep)) return { kind: 'not-found' };
  const contentType = CONTENT_TYPES[extname(file)];
  if (!contentType) return { kind: 'not-found' };
  // Vite fingerprints everything under assets/, so those may be cached forever.
  return { kind: 'file', path: file, contentType, immutable: path.startsWith('/assets/') };
}
