import { describe, expect, it } from 'vitest';
import { resolveRequestPath } from './static-files.js';

const dist = '/srv/dist';

describe('static files of the web app', () => {
  it('serves the app for its own routes (SPA fallback)', () => {
    for (const path of ['/', '/diagrams', '/diagrams/abc-123', '/diagrams/abc?x=1', '/auth/callback?code=1&state=2']) {
      expect(resolveRequestPath(dist, path)).toEqual({ kind: 'app' });
    }
  });

  it('serves built files with their type; assets may be cached forever', () => {
    expect(resolveRequestPath(dist, '/assets/index-abc.js')).toEqual({
      kind: 'file',
      path: '/srv/dist/assets/index-abc.js',
      contentType: 'text/javascript; charset=utf-8',
      immutable: true,
    });
  });

  it('never leaves the dist folder and serves no unknown types', () => {
    expect(resolveRequestPath(dist, '/../../etc/passwd')).toEqual({ kind: 'not-found' });
    expect(resolveRequestPath(dist, '/%2e%2e/%2e%2e/etc/hosts.css')).toEqual({ kind: 'not-found' });
    expect(resolveRequestPath(dist, '/secret.env')).toEqual({ kind: 'not-found' });
    expect(resolveRequestPath(dist, '/%E0%A4%A')).toEqual({ kind: 'not-found' });
  });
});
