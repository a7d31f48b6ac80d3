import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { api, registration, uniqueEmail, type ApiResponse } from './helpers/api';
import { createVerifiedUser } from './helpers/users';
import { callWorker, expectLimited, uniqueIp } from './otp.helpers';

afterEach(() => setClock(null));

function freezeClock() {
  const clockState = { now: Date.now() };
  setClock({ now: () => clockState.now });
  return clockState;
}

const statusOf = (res: ApiResponse) => res.status;
const summary = (res: ApiResponse) => [res.status, res.body?.error?.code ?? null, res.headers.get('Retry-After')];

/** Every anonymous route, with a request body that reaches the limit and the limit's var. */
const ANONYMOUS_ROUTES: { name: string; limitVar: string; call: (ip: string, vars: Record<string, string>) => Promise<ApiResponse> }[] = [
  ['POST /auth/register', 'LIMIT_REGISTER', () => ({ body: registration() })],
  ['POST /auth/otp/request', 'LIMIT_OTP_REQUEST', () => ({ body: { email: uniqueEmail() } })],
  ['POST /auth/otp/verify', 'LIMIT_OTP_VERIFY', () => ({ body: { email: uniqueEmail(), code: '123456' } })],
  ['POST /auth/password/forgot', 'LIMIT_FORGOT', () => ({ body: { email: uniqueEmail() } })],
  ['POST /auth/password/reset', 'LIMIT_RESET', () => ({ body: { email: uniqueEmail(), code: '123456', new_password: 'Quiet-Harbor-Lantern-47' } })],
  ['POST /auth/verify-email', 'LIMIT_ANONYMOUS', () => ({ body: { token: 'not-a-token' } })],
  ['GET /auth/verify-email', 'LIMIT_ANONYMOUS', () => ({ query: '?token=not-a-token' })],
  ['POST /auth/resend-verification', 'LIMIT_ANONYMOUS', () => ({ body: { email: uniqueEmail() } })],
  ['POST /auth/login', 'LIMIT_ANONYMOUS', () => ({ body: { email: uniqueEmail(), password: 'Definitely-Wrong-77' } })],
  ['POST /auth/refresh', 'LIMIT_ANONYMOUS', () => ({ body: { refresh: 'not-a-token' } })],
  ['POST /auth/logout', 'LIMIT_ANONYMOUS', () => ({ body: { refresh: 'not-a-token' } })],
  ['POST /auth/token/verify', 'LIMIT_ANONYMOUS', () => ({ body: { token: 'not-a-token' } })],
].map(([name, limitVar, request]) => {
  const [method, path] = (name as string).split(' ') as [string, string];
  const build = request as () => { body?: unknown; query?: string };
  return {
    name: name as string,
    limitVar: limitVar as string,
    call: (ip: string, vars: Record<string, string>) => {
      const { body, query = '' } = build();
      return callWorker(`/api/v1${path}${query}`, { method, body, ip, env: vars });
    },
  };
});

describe('every anonymous route is limited per client IP, by its configured rule', () => {
  it.each(ANONYMOUS_ROUTES)('$name: the third call within the window answers 429 when $limitVar is 2/60', async (route) => {
    freezeClock();
    const ip = uniqueIp();
    const vars = { [route.limitVar]: '2/60' };
    const first = [await route.call(ip, vars), await route.call(ip, vars)];
    for (const res of first) expect(res.status, JSON.stringify(res.body)).not.toBe(429);
    expectLimited(await route.call(ip, vars), 60);
    // Another client is not affected.
    expect((await route.call(uniqueIp(), vars)).status).not.toBe(429);
  });
});

describe('other anonymous routes: 20 per IP per minute', () => {
  const verifyToken = (ip: string) => api('/api/v1/auth/token/verify', { body: { token: 'not-a-token' }, ip });

  it('is exact under concurrency: of 30 parallel requests from one IP exactly 20 pass', async () => {
    const ip = uniqueIp();
    const results = await Promise.all(Array.from({ length: 30 }, () => verifyToken(ip)));
    expect(results.filter((r) => r.status === 401)).toHaveLength(20);
    const limited = results.filter((r) => r.status === 429);
    expect(limited).toHaveLength(10);
    for (const res of limited) {
      expectLimited(res);
      expect(Number(res.headers.get('Retry-After'))).toBeLessThanOrEqual(60);
    }
  });

  it('is one budget across the anonymous routes, and comes back a minute later (injected clock)', async () => {
    const clock = freezeClock();
    const ip = uniqueIp();
    for (let i = 0; i < 10; i++) expect((await verifyToken(ip)).status).toBe(401);
    for (let i = 0; i < 10; i++) expect((await api('/api/v1/auth/refresh', { body: { refresh: 'x' }, ip })).status).toBe(401);
    expectLimited(await api('/api/v1/auth/login', { body: { email: uniqueEmail(), password: 'x' }, ip }), 60);
    clock.now += 59_999;
    expectLimited(await verifyToken(ip), 1);
    clock.now += 1;
    expect((await verifyToken(ip)).status).toBe(401);
  });

  it('trusts CF-Connecting-IP only, never X-Forwarded-For', async () => {
    const ip = uniqueIp();
    await Promise.all(Array.from({ length: 20 }, () => verifyToken(ip)));
    const spoofed = await api('/api/v1/auth/token/verify', { body: { token: 'x' }, ip, headers: { 'X-Forwarded-For': uniqueIp() } });
    expectLimited(spoofed);
  });
});

describe('register: 3 per IP per hour', () => {
  it('answers the 4th with 429 and Retry-After 3600, and admits again an hour later', async () => {
    const clock = freezeClock();
    const ip = uniqueIp();
    const register = () => api('/api/v1/auth/register', { body: registration(), ip });
    const statuses = [await register(), await register(), await register()].map(statusOf);
    expect(statuses).toEqual([201, 201, 201]);
    expectLimited(await register(), 3600);
    clock.now += 3600_000;
    expect((await register()).status).toBe(201);
  });
});

/** OTP request and forgot: both mail a code, both are limited per IP and per address, 3 per 10 minutes by default. */
describe.each([
  { name: 'OTP request', path: '/api/v1/auth/otp/request' },
  { name: 'password forgot', path: '/api/v1/auth/password/forgot' },
])('$name: 3 per IP and 3 per address per 10 minutes', ({ path }) => {
  const ask = (email: string, ip: string) => api(path, { body: { email }, ip });

  it('per IP: the 4th answers 429 with Retry-After 600; 10 minutes later the IP is admitted again', async () => {
    const clock = freezeClock();
    const ip = uniqueIp();
    for (let i = 0; i < 3; i++) expect((await ask(uniqueEmail(), ip)).status).toBe(200);
    expectLimited(await ask(uniqueEmail(), ip), 600);
    clock.now += 600_000;
    expect((await ask(uniqueEmail(), ip)).status).toBe(200);
  });

  it('per IP, exact under concurrency: of 10 parallel requests exactly 3 pass', async () => {
    const ip = uniqueIp();
    const results = await Promise.all(Array.from({ length: 10 }, () => ask(uniqueEmail(), ip)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(3);
    for (const res of results.filter((r) => r.status !== 200)) expectLimited(res);
  });

  it('per address, across IPs, identically for addresses with and without an account', async () => {
    freezeClock();
    const known = await createVerifiedUser();
    const run = async (email: string) => {
      const out = [];
      for (let i = 0; i < 4; i++) out.push(summary(await ask(email, uniqueIp())));
      return out;
    };
    const knownRun = await run(known.email);
    expect(knownRun).toEqual([
      [200, null, null],
      [200, null, null],
      [200, null, null],
      [429, 'rate_limited', '600'],
    ]);
    expect(await run(uniqueEmail('ghost'))).toEqual(knownRun);
  });

  it('per address, on the normalized address', async () => {
    const email = uniqueEmail('case');
    for (let i = 0; i < 3; i++) expect((await ask(` ${email.toUpperCase()} `, uniqueIp())).status).toBe(200);
    expectLimited(await ask(email, uniqueIp()));
  });
});

describe.each([
  { name: 'OTP verify', path: '/api/v1/auth/otp/verify', body: () => ({ email: uniqueEmail(), code: '123456' }) },
  {
    name: 'password reset',
    path: '/api/v1/auth/password/reset',
    body: () => ({ email: uniqueEmail(), code: '123456', new_password: 'Quiet-Harbor-Lantern-47' }),
  },
])('$name: 5 per IP per 10 minutes', ({ path, body }) => {
  it('the 6th answers 429 with Retry-After 600; 10 minutes later the IP is admitted again', async () => {
    const clock = freezeClock();
    const ip = uniqueIp();
    for (let i = 0; i < 5; i++) {
      const res = await api(path, { body: body(), ip });
      expect([res.status, res.body.error.code]).toEqual([400, 'otp_invalid']);
    }
    expectLimited(await api(path, { body: body(), ip }), 600);
    clock.now += 600_000;
    expect((await api(path, { body: body(), ip })).status).toBe(400);
  });

  it('is exact under concurrency: of 12 parallel requests exactly 5 pass', async () => {
    const ip = uniqueIp();
    const results = await Promise.all(Array.from({ length: 12 }, () => api(path, { body: body(), ip })));
    expect(results.filter((r) => r.status === 400)).toHaveLength(5);
    expect(results.filter((r) => r.status === 429)).toHaveLength(7);
  });
});
