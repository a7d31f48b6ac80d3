// How many storage round trips each hot path waits for before it answers, counted by the
// bench's distance model (scripts/bench/model/recorder.mjs) around the real local bindings.
// Every hop costs a user far from the data 50–150 ms in production, so these ceilings keep
// the counts from growing back; lower them when a path gets faster.
import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { AsyncLocalStorage } from 'node:async_hooks';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../src/index';
import { createRecorder, instrumentEnv, markResponded, summarize, type HopSummary, type Recorder } from '../scripts/bench/model/recorder.mjs';
import { randomIp, registration } from './helpers/api';
import { createVerifiedUser, login } from './helpers/users';
import { codeFromMail, SIGN_IN_MAIL, VERIFY_MAIL } from './otp.helpers';
import { createEnrolledUser, freezeClock, oathtool } from './helpers/mfa';
import { setClock } from '../src/clock';

const current = new AsyncLocalStorage<Recorder>();
const instrumented = instrumentEnv(env, () => current.getStore());

/** Calls the Worker with every binding recorded; returns the answer and what it waited for. */
async function measured(path: string, init: { body?: unknown; token?: string; method?: string } = {}) {
  const headers: Record<string, string> = { 'CF-Connecting-IP': randomIp() };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  const request = new Request(`https://gatehouse.test${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const rec = createRecorder();
  const ctx = createExecutionContext();
  const res = await current.run(rec, () => worker.fetch(request, instrumented, ctx));
  markResponded(rec);
  const body = await res.json<any>();
  await waitOnExecutionContext(ctx);
  return { status: res.status, body, hops: summarize(rec) };
}

/**
 * Today's counts (issue 18's targets: me 1, refresh ≤ 2, login ≤ 3, register ≤ 3). The
 * waves are printed when one fails, e.g. [["kv-read"],["d1-primary"]] for me. Login:
 * [limiter DO + D1 account] [object: settleSignIn: lockout, the attempt, the session],
 * the password hashed between the two (sign-in/password.ts); otp/verify: [limiter DO + D1
 * account] [object: check, spend, open session]; mfa/verify (TOTP): [limiter DO + D1
 * account + D1 TOTP row] [object: settleMfaStep: token, lockout, step, session];
 * verify-email: [limiter DO + D1 account] [object: check, spend] [D1: verified]. A row
 * the object calls stale (accounts/state/fence.ts) costs a primary read and a second
 * object call, only then. Everything else is deferred.
 */
const CEILING = { me: 1, refresh: 2, login: 2, register: 3, 'otp/verify': 2, 'mfa/verify': 2, 'verify-email': 3 };

function expectHops(hops: HopSummary, ceiling: number) {
  expect(hops.sequentialHops, JSON.stringify(hops.waves)).toBeLessThanOrEqual(ceiling);
  expect(hops.sequentialHops).toBeGreaterThan(0);
}

describe('sequential storage hops before the response', () => {
  // Development signs with a key kept in D1 and cached per isolate; production's comes
  // from a secret. Load it once so no path is charged for it.
  beforeAll(async () => {
    expect((await measured('/.well-known/jwks.json')).status).toBe(200);
  });

  it('GET /auth/me', async () => {
    const user = await createVerifiedUser();
    const { access } = await login(user);
    const { status, hops } = await measured('/api/v1/auth/me', { token: access });
    expect(status).toBe(200);
    expectHops(hops, CEILING['me']);
  });

  it('POST /auth/refresh', async () => {
    const user = await createVerifiedUser();
    const { refresh } = await login(user);
    const { status, hops } = await measured('/api/v1/auth/refresh', { body: { refresh } });
    expect(status).toBe(200);
    expectHops(hops, CEILING['refresh']);
  });

  it('POST /auth/login', async () => {
    const user = await createVerifiedUser();
    const { status, hops } = await measured('/api/v1/auth/login', { body: { email: user.email, password: user.password } });
    expect(status).toBe(200);
    expectHops(hops, CEILING['login']);
  });

  it('POST /auth/register', async () => {
    const { status, hops } = await measured('/api/v1/auth/register', { body: registration() });
    expect(status).toBe(201);
    expectHops(hops, CEILING['register']);
  });

  it('POST /auth/otp/verify', async () => {
    const user = await createVerifiedUser();
    await measured('/api/v1/auth/otp/request', { body: { email: user.email } });
    const { code } = await codeFromMail(user.email, SIGN_IN_MAIL);
    const { status, hops } = await measured('/api/v1/auth/otp/verify', { body: { email: user.email, code } });
    expect(status).toBe(200);
    expectHops(hops, CEILING['otp/verify']);
  });

  it('POST /auth/mfa/verify (TOTP)', async () => {
    const clock = freezeClock();
    try {
      const user = await createEnrolledUser(clock);
      const first = await measured('/api/v1/auth/login', { body: { email: user.email, password: user.password } });
      expect(first.body.mfa_required).toBe(true);
      expectHops(first.hops, CEILING['login']);
      const { status, hops } = await measured('/api/v1/auth/mfa/verify', { body: { mfa_token: first.body.mfa_token, code: await oathtool(user.secret, clock.now()) } });
      expect(status).toBe(200);
      expectHops(hops, CEILING['mfa/verify']);
    } finally {
      setClock(null);
    }
  });

  it('POST /auth/verify-email', async () => {
    const form = registration();
    await measured('/api/v1/auth/register', { body: form });
    const { code } = await codeFromMail(form.email, VERIFY_MAIL);
    const { status, hops } = await measured('/api/v1/auth/verify-email', { body: { email: form.email, code } });
    expect(status).toBe(200);
    expectHops(hops, CEILING['verify-email']);
  });
});
