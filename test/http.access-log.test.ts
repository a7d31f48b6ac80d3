import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import worker from '../src/index';
import { urlPath } from '../src/http/middleware';

afterEach(() => vi.restoreAllMocks());

describe('the access log line', () => {
  it('urlPath is what new URL(url).pathname says, for URLs as the runtime serializes them', () => {
    const urls = [
      'https://gatehouse.test/api/v1/auth/me',
      'https://gatehouse.test/api/v1/auth/me/?a=1&b=/x',
      'https://gatehouse.test/health#frag/ment',
      'https://gatehouse.test/',
      'http://127.0.0.1:8787/api/v1/users/%C3%A9t%C3%A9/followers?x=%2F',
      'http://[::1]:8787/a//b/?q',
      'https://user:pass@gatehouse.test/p?',
      'https://gatehouse.test/a?b#c',
    ].map((u) => new Request(u).url);
    for (const url of urls) expect([url, urlPath(url)]).toEqual([url, new URL(url).pathname]);
  });

  it('one JSON line per request: id, method, the path as asked (no query), status, duration', async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => void lines.push(String(line)));
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request('https://gatehouse.test/health/?probe=1'), env, ctx);
    await waitOnExecutionContext(ctx);
    const entries = lines.map((l) => JSON.parse(l)).filter((e) => e.msg === 'request');
    expect(entries).toEqual([
      { level: 'info', msg: 'request', request_id: res.headers.get('X-Request-Id'), method: 'GET', path: '/health/', status: res.status, duration_ms: expect.any(Number), time: expect.any(String) },
    ]);
    expect(Object.keys(entries[0])).toEqual(['level', 'msg', 'request_id', 'method', 'path', 'status', 'duration_ms', 'time']);
  });
});
