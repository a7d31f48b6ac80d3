import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../src/http/context';
import { ApiError } from '../src/http/errors';
import { jsonBodyOutside } from '../src/http/middleware';

/** The frame's body rule alone: JSON is required everywhere but the console (/admin and below). */
const app = new Hono<AppEnv>()
  .use('*', jsonBodyOutside('/admin'))
  .post('*', (c) => c.text('handled'))
  .onError((err, c) => c.text(err instanceof ApiError ? err.code : 'other', err instanceof ApiError ? err.status : 500));

const postForm = (path: string) =>
  app.request(path, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1' });

describe('jsonBodyOutside', () => {
  it('leaves the console\'s own paths to read their forms', async () => {
    for (const path of ['/admin', '/admin/login', '/admin/users/x/lock']) {
      const res = await postForm(path);
      expect([path, res.status, await res.text()]).toEqual([path, 200, 'handled']);
    }
  });

  it('refuses a form everywhere else, look-alike prefixes included', async () => {
    for (const path of ['/api/v1/auth/login', '/administrator', '/adminx/login', '/api/v1/admin/users']) {
      const res = await postForm(path);
      expect([path, res.status, await res.text()]).toEqual([path, 415, 'unsupported_media_type']);
    }
  });
});
