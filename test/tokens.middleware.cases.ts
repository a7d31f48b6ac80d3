import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import type { AppEnv } from '../src/http/context';
import { ApiError } from '../src/http/errors';
import { requireAuth, signAccessToken } from '../src/tokens';
import { setClock } from '../src/clock';

const SUBJECT = { sub: 'user-7', sid: 'session-7', role: 'user', email_verified: true } as const;

// A tiny app: the middleware, one route echoing what it put on the context.
const app = new Hono<AppEnv>()
  .use('/me', requireAuth)
  .get('/me', (c) => c.json(c.get('auth')))
  .onError((err, c) => c.json({ code: err instanceof ApiError ? err.code : 'internal' }, err instanceof ApiError ? err.status : 500));

const call = (headers: Record<string, string> = {}, path = '/me', e: typeof env = env) => app.request(path, { headers }, e);

async function expect401(res: Response, challenge: string) {
  expect(res.status).toBe(401);
  expect(res.headers.get('WWW-Authenticate')).toBe(challenge);
  expect(await res.json()).toMatchObject({ error: { code: 'unauthorized', message: expect.any(String), request_id: expect.any(String) } });
}

afterEach(() => setClock(null));

describe('requireAuth', () => {
  it('puts the verified claims on the context', async () => {
    const token = await signAccessToken(env, SUBJECT, Date.now());
    const res = await call({ Authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ...SUBJECT, jti: expect.any(String), exp: expect.any(Number) });
  });

  it('takes the scheme in any case', async () => {
    const token = await signAccessToken(env, SUBJECT, Date.now());
    expect((await call({ Authorization: `bearer ${token}` })).status).toBe(200);
  });

  it('answers 401 with a bare Bearer challenge when there is no token', async () => {
    await expect401(await call(), 'Bearer');
    await expect401(await call({ Authorization: '' }), 'Bearer');
    await expect401(await call({ Authorization: 'Bearer' }), 'Bearer');
    await expect401(await call({ Authorization: 'Basic dXNlcjpwYXNz' }), 'Bearer');
  });

  it('ignores a token in the URL', async () => {
    const token = await signAccessToken(env, SUBJECT, Date.now());
    await expect401(await call({}, `/me?access_token=${token}`), 'Bearer');
    await expect401(await call({}, `/me?token=${token}`), 'Bearer');
  });

  it('answers 401 invalid_token for a bad, tampered or expired token, never 500', async () => {
    const token = await signAccessToken(env, SUBJECT, Date.now());
    for (const bad of ['garbage', 'a.b.c', `${token}x`, `${token} ${token}`, 'x'.repeat(20_000)]) {
      await expect401(await call({ Authorization: `Bearer ${bad}` }), bad.includes(' ') ? 'Bearer' : 'Bearer error="invalid_token"');
    }
    const start = Date.now();
    setClock({ now: () => start + 16 * 60_000 });
    await expect401(await call({ Authorization: `Bearer ${token}` }), 'Bearer error="invalid_token"');
  });

  it('leaves a key misconfiguration as a 503, not a 401', async () => {
    const broken = { ...env, JWT_PRIVATE_JWKS: 'nope' };
    const res = await call({ Authorization: 'Bearer a.b.c' }, '/me', broken);
    expect(res.status).toBe(503);
  });
});
