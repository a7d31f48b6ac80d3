import { env } from 'cloudflare:workers';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import worker from '../src/index';
import { setClock } from '../src/clock';
import { ConfigError } from '../src/config/config';
import {
  setTurnstileVerifier,
  siteverifyVerifier,
  SITEVERIFY_URL,
  TurnstileUnavailableError,
  type TurnstileCheck,
  type TurnstileVerifier,
} from '../src/turnstile/verifier';
import type { MailJob } from '../src/mail/types';
import { api, randomIp, registration, uniqueEmail } from './helpers/api';
import { createVerifiedUser } from './helpers/users';

const SECRET = 'turnstile-test-secret';
const GOOD = 'good-turnstile-token';
const UNREACHABLE = 'token-while-siteverify-is-down';

/** Stands in for siteverify: GOOD is valid, UNREACHABLE cannot be checked, anything else is refused. */
const checks: TurnstileCheck[] = [];
const fakeSiteverify: TurnstileVerifier = {
  async verify(check) {
    checks.push(check);
    if (check.token === UNREACHABLE) throw new TurnstileUnavailableError('siteverify unreachable');
    return check.token === GOOD ? 'valid' : 'invalid';
  },
};

beforeEach(() => {
  checks.length = 0;
  setTurnstileVerifier(fakeSiteverify);
});
afterEach(() => {
  setTurnstileVerifier(null);
  setClock(null);
});

interface Call {
  body?: Record<string, unknown>;
  headers?: Record<string, string>;
  ip?: string;
  secret?: string;
  method?: string;
}

/** One request with TURNSTILE_SECRET set (unless `secret` says otherwise) and a queue that records mail. */
async function call(path: string, { body, headers = {}, ip = randomIp(), secret = SECRET, method = 'POST' }: Call = {}) {
  const mailed: MailJob[] = [];
  const recordingQueue = {
    send: async (job: MailJob) => void mailed.push(job),
    sendBatch: async (jobs: { body: MailJob }[]) => void mailed.push(...jobs.map((j) => j.body)),
  } as unknown as Queue<MailJob>;
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`https://gatehouse.test${path}`, {
      method,
      headers: { 'CF-Connecting-IP': ip, ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    }),
    { ...env, TURNSTILE_SECRET: secret, MAIL_QUEUE: recordingQueue } as Cloudflare.Env,
    ctx,
  );
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as any, mailed, ip };
}

const auditRowsFrom = async (ip: string) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM audit_events WHERE ip = ?').bind(ip).first<{ n: number }>())!.n;
const userRows = async (email: string) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM users WHERE email = ?').bind(email).first<{ n: number }>())!.n;

interface GuardedRoute {
  name: string;
  path: string;
  /** A fresh body that, with a valid token, gets the route's normal answer and mails once. */
  body: () => Promise<Record<string, unknown>>;
  success: number;
}

const ROUTES: GuardedRoute[] = [
  { name: 'register', path: '/api/v1/auth/register', body: async () => registration(), success: 201 },
  {
    name: 'login',
    path: '/api/v1/auth/login',
    body: async () => {
      const user = await createVerifiedUser();
      return { email: user.email, password: user.password };
    },
    success: 200,
  },
  { name: 'otp request', path: '/api/v1/auth/otp/request', body: async () => ({ email: (await createVerifiedUser()).email }), success: 200 },
  { name: 'forgot password', path: '/api/v1/auth/password/forgot', body: async () => ({ email: (await createVerifiedUser()).email }), success: 200 },
  {
    name: 'resend verification',
    path: '/api/v1/auth/resend-verification',
    body: async () => {
      const unverified = registration();
      expect((await api('/api/v1/auth/register', { body: unverified })).status).toBe(201);
      // Past the 60 s spacing the registration mail started, so a resend would mail.
      const later = Date.now() + 120_000;
      setClock({ now: () => later });
      return { email: unverified.email };
    },
    success: 200,
  },
];

function expectRefused(res: Awaited<ReturnType<typeof call>>, code: string) {
  expect(res.status).toBe(403);
  expect(Object.keys(res.body.error)).toEqual(['code', 'message', 'request_id']);
  expect(res.body.error.code).toBe(code);
  expect(res.body.error.request_id).toBe(res.headers.get('X-Request-Id'));
}

/** A refused request left no trace: no account, no audit event, no mail. */
async function expectNothingChanged(res: Awaited<ReturnType<typeof call>>, body: Record<string, unknown>, route: GuardedRoute) {
  expect(res.mailed).toEqual([]);
  expect(await auditRowsFrom(res.ip)).toBe(0);
  if (route.name === 'register') expect(await userRows(body.email as string)).toBe(0);
}

describe.each(ROUTES)('with TURNSTILE_SECRET set, $name', (route) => {
  it('without a token answers 403 captcha_required, changes nothing and mails nothing', async () => {
    const body = await route.body();
    const res = await call(route.path, { body });
    expectRefused(res, 'captcha_required');
    await expectNothingChanged(res, body, route);
    expect(checks).toEqual([]);
  });

  it('with a refused token (body field or header) answers 403 captcha_invalid, changes nothing and mails nothing', async () => {
    const body = await route.body();
    for (const res of [
      await call(route.path, { body: { ...body, 'cf-turnstile-response': 'forged' } }),
      await call(route.path, { body, headers: { 'CF-Turnstile-Response': 'forged' } }),
      await call(route.path, { body: { ...body, 'cf-turnstile-response': 42 } }),
      await call(route.path, { body: { ...body, 'cf-turnstile-response': 'x'.repeat(2049) } }),
    ]) {
      expectRefused(res, 'captcha_invalid');
      await expectNothingChanged(res, body, route);
    }
    // Only the two well-formed tokens were worth asking siteverify about.
    expect(checks.map((c) => c.token)).toEqual(['forged', 'forged']);
  });

  it('with a valid token in the body field gets the normal answer, and siteverify is asked with secret, token and client IP', async () => {
    const body = await route.body();
    const ip = randomIp();
    const res = await call(route.path, { body: { ...body, 'cf-turnstile-response': GOOD }, ip });
    expect(res.status, JSON.stringify(res.body)).toBe(route.success);
    expect(checks).toEqual([{ secret: SECRET, token: GOOD, remoteIp: ip }]);
    if (route.name !== 'login') expect(res.mailed).toHaveLength(1);
    if (route.name === 'login') expect(res.body.access).toEqual(expect.any(String));
  });

  it('with a valid token in the CF-Turnstile-Response header gets the normal answer', async () => {
    const res = await call(route.path, { body: await route.body(), headers: { 'CF-Turnstile-Response': GOOD } });
    expect(res.status, JSON.stringify(res.body)).toBe(route.success);
    // Once: a Turnstile token is single-use, a second siteverify call would refuse it.
    expect(checks.map((c) => c.token)).toEqual([GOOD]);
  });

  it('fails closed with 503 when siteverify cannot be reached, changing nothing', async () => {
    const body = await route.body();
    const res = await call(route.path, { body: { ...body, 'cf-turnstile-response': UNREACHABLE } });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('service_unavailable');
    await expectNothingChanged(res, body, route);
  });
});

describe('the Turnstile guard', () => {
  it('unset or blank TURNSTILE_SECRET: nothing changes, siteverify is never asked', async () => {
    for (const secret of ['', '   ']) {
      const res = await call('/api/v1/auth/register', { body: registration(), secret });
      expect(res.status).toBe(201);
    }
    expect(checks).toEqual([]);
  });

  it('a refused request spends none of the route limit: a solved check still gets in after many', async () => {
    const ip = randomIp();
    for (let i = 0; i < 5; i++) expectRefused(await call('/api/v1/auth/register', { body: registration(), ip }), 'captcha_required');
    const res = await call('/api/v1/auth/register', { body: registration({ 'cf-turnstile-response': GOOD }), ip });
    expect(res.status).toBe(201);
  });

  it('covers a trailing slash, a percent-encoded path and registration variants under /register/', async () => {
    expectRefused(await call('/api/v1/auth/login/', { body: { email: uniqueEmail(), password: 'x' } }), 'captcha_required');
    expectRefused(await call('/api/v1/auth/register/professional', { body: registration() }), 'captcha_required');
    // The path as the router sees it: percent-encoding does not slip past.
    expectRefused(await call('/api/v1/auth/%6Cogin', { body: { email: uniqueEmail(), password: 'x' } }), 'captcha_required');
  });

  it('the body field wins over the header', async () => {
    const res = await call('/api/v1/auth/register', { body: registration({ 'cf-turnstile-response': GOOD }), headers: { 'CF-Turnstile-Response': 'forged' } });
    expect(res.status).toBe(201);
    expect(checks.map((c) => c.token)).toEqual([GOOD]);
  });

  it('leaves the other anonymous routes alone', async () => {
    const res = await call('/api/v1/auth/otp/verify', { body: { email: uniqueEmail(), code: '123456' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('otp_invalid');
    expect(checks).toEqual([]);
  });

  it('CORS lets a browser frontend send the CF-Turnstile-Response header', async () => {
    const res = await call('/api/v1/auth/login', {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,cf-turnstile-response' },
    });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:3000');
    expect(res.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain('cf-turnstile-response');
  });
});

describe('siteverifyVerifier', () => {
  /** A fetch that answers like siteverify would and keeps what it was sent. */
  function siteverify(answer: () => Response | Promise<Response>) {
    const sent: { url: string; method: string; form: Record<string, string> }[] = [];
    const send = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init);
      const form = Object.fromEntries([...(await request.formData()).entries()].map(([k, v]) => [k, String(v)]));
      sent.push({ url: request.url, method: request.method, form });
      return answer();
    }) as typeof fetch;
    return { verifier: siteverifyVerifier(send), sent };
  }
  const answer = (body: unknown, status = 200) => () => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  const check = { secret: 's3cret', token: 'tok', remoteIp: '203.0.113.9' };

  it('POSTs secret, response and remoteip to siteverify; success is valid', async () => {
    const { verifier, sent } = siteverify(answer({ success: true, 'error-codes': [] }));
    expect(await verifier.verify(check)).toBe('valid');
    expect(sent).toEqual([{ url: SITEVERIFY_URL, method: 'POST', form: { secret: 's3cret', response: 'tok', remoteip: '203.0.113.9' } }]);
  });

  it('leaves remoteip out when the client address is unknown', async () => {
    const { verifier, sent } = siteverify(answer({ success: true }));
    await verifier.verify({ secret: 's', token: 't' });
    expect(sent[0]!.form).toEqual({ secret: 's', response: 't' });
  });

  it('a refused, expired or reused token is invalid', async () => {
    for (const codes of [['invalid-input-response'], ['timeout-or-duplicate'], ['missing-input-response'], []]) {
      const { verifier } = siteverify(answer({ success: false, 'error-codes': codes }));
      expect(await verifier.verify(check), codes.join()).toBe('invalid');
    }
  });

  it('a refused secret is a ConfigError (503 misconfigured), not the client\'s fault', async () => {
    const { verifier } = siteverify(answer({ success: false, 'error-codes': ['invalid-input-secret'] }));
    await expect(verifier.verify(check)).rejects.toBeInstanceOf(ConfigError);
  });

  it('unreachable, failing or garbled siteverify is TurnstileUnavailableError', async () => {
    const failures = [
      () => Promise.reject(new TypeError('network down')),
      answer({ success: false }, 500),
      () => new Response('<html>bad gateway</html>', { status: 200 }),
      answer({ success: false, 'error-codes': ['internal-error'] }),
    ];
    for (const failure of failures) {
      const { verifier } = siteverify(failure);
      await expect(verifier.verify(check)).rejects.toBeInstanceOf(TurnstileUnavailableError);
    }
  });

  it('through the API: a secret siteverify refuses answers 503, a down siteverify 503', async () => {
    setTurnstileVerifier(siteverify(answer({ success: false, 'error-codes': ['invalid-input-secret'] })).verifier);
    const refusedSecret = await call('/api/v1/auth/register', { body: registration({ 'cf-turnstile-response': 'tok' }) });
    expect(refusedSecret.status).toBe(503);
    expect(refusedSecret.body.error.code).toBe('service_unavailable');
    setTurnstileVerifier(siteverify(() => Promise.reject(new TypeError('network down'))).verifier);
    const down = await call('/api/v1/auth/register', { body: registration({ 'cf-turnstile-response': 'tok' }) });
    expect(down.status).toBe(503);
    expect(down.mailed).toEqual([]);
  });
});
