import { describe, expect, it } from 'vitest';
import { api } from './helpers/api';

describe('GET /docs', () => {
  it('is an HTML page that loads the renderer and its start-up from our own /docs/ assets, no inline script', async () => {
    const res = await api('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/html/);
    const html = res.body as string;
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map(([, attrs]) => /src="([^"]+)"/.exec(attrs!)?.[1])).toEqual(['/docs/scalar.js', '/docs/init.js']);
    expect(scripts.every(([, , body]) => body!.trim() === '')).toBe(true);
    expect(html).toContain('href="/openapi.json"');
  });

  it('has a CSP of its own: scripts and connections only to us, no inline or eval script, no framing', async () => {
    const csp = (await api('/docs')).headers.get('Content-Security-Policy')!;
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    expect(directives['default-src']).toEqual(["'none'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['frame-ancestors']).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-eval|https?:/);
  });

  it('leaves the rest of the API under its strict default CSP', async () => {
    expect((await api('/health')).headers.get('Content-Security-Policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });
});
