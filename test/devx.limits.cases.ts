import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { DEFAULTS, DEVELOPMENT_LIMITS, getConfig } from '../src/config/config';
import { durationText, windowText } from '../src/ratelimit/message';
import { api, registration, uniqueEmail } from './helpers/api';
import { callWorker, uniqueIp } from './otp.helpers';

afterEach(() => setClock(null));

function frozenClock() {
  const state = { now: Date.now() };
  setClock({ now: () => state.now });
  return state;
}

/** The test env with every development-profile var unset: what `npm run dev` sees. */
const DEV_PROFILE = Object.fromEntries(Object.keys(DEVELOPMENT_LIMITS).map((name) => [name, '']));

describe('development limits', () => {
  it('apply to an unset var only in development; production keeps its defaults; a set var wins', () => {
    const dev = getConfig({ ENVIRONMENT: 'development' });
    expect(dev.limits.register).toEqual({ limit: 100, windowSec: 3600 });
    expect(dev.limits.anonymous).toEqual({ limit: 300, windowSec: 60 });
    const prod = getConfig({});
    expect(prod.limits.register).toEqual({ limit: 3, windowSec: 3600 });
    expect(prod.limits.anonymous).toEqual({ limit: 20, windowSec: 60 });
    expect(prod.codeFailureBudget).toEqual({ limit: 20, windowSec: 86400 });
    expect(getConfig({ ENVIRONMENT: 'development', LIMIT_REGISTER: '7/60' }).limits.register).toEqual({ limit: 7, windowSec: 60 });
    // Every development limit is looser than production's, never tighter.
    for (const [name, text] of Object.entries(DEVELOPMENT_LIMITS)) {
      const [devCount, devWindow] = text.split('/').map(Number) as [number, number];
      const [count, window] = String(DEFAULTS[name as keyof typeof DEFAULTS]).split('/').map(Number) as [number, number];
      expect(devCount / devWindow, name).toBeGreaterThan(count / window);
    }
  });

  it('the tests themselves run with production limits (vitest.config.ts pins them)', () => {
    expect(getConfig(env).limits.register).toEqual({ limit: 3, windowSec: 3600 });
  });

  it('let a person sign up a fifth time from one address in development', async () => {
    const ip = uniqueIp();
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await callWorker('/api/v1/auth/register', { body: registration(), ip, env: DEV_PROFILE })).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201]);
  });
});

describe('429 messages', () => {
  it('name the limit and when it frees, with code rate_limited and Retry-After', async () => {
    const clock = frozenClock();
    const ip = uniqueIp();
    for (let i = 0; i < 3; i++) expect((await api('/api/v1/auth/register', { body: registration(), ip })).status).toBe(201);
    clock.now += 19 * 60_000;
    const refused = await api('/api/v1/auth/register', { body: registration(), ip });
    expect([refused.status, refused.body.error.code, refused.headers.get('Retry-After')]).toEqual([429, 'rate_limited', String(41 * 60)]);
    expect(refused.body.error.message).toBe('Too many registrations from this IP address: 3 per hour. Try again in 41 minutes.');
  });

  it('say which of two rules refused (the resend spacing, then the hourly budget)', async () => {
    const clock = frozenClock();
    const email = uniqueEmail();
    expect((await api('/api/v1/auth/resend-verification', { body: { email } })).status).toBe(200);
    const spaced = await api('/api/v1/auth/resend-verification', { body: { email } });
    expect([spaced.status, spaced.body.error.message]).toEqual([429, 'Too many verification mails to this email address: 1 per minute. Try again in 1 minute.']);
    for (let i = 0; i < 3; i++) {
      clock.now += 61_000;
      expect((await api('/api/v1/auth/resend-verification', { body: { email } })).status).toBe(200);
    }
    clock.now += 61_000;
    const hourly = await api('/api/v1/auth/resend-verification', { body: { email } });
    expect(hourly.body.error.message).toBe(`Too many verification mails to this email address: 4 per hour. Try again in ${Math.ceil((3600 - 4 * 61) / 60)} minutes.`);
    expect(hourly.headers.get('Retry-After')).toBe(String(3600 - 4 * 61));
  });

  it('name per-account and per-address budgets too', async () => {
    const ip = uniqueIp();
    const email = uniqueEmail();
    for (let i = 0; i < 3; i++) await api('/api/v1/auth/password/forgot', { body: { email }, ip: uniqueIp() });
    const perAddress = await api('/api/v1/auth/password/forgot', { body: { email }, ip });
    expect(perAddress.body.error.message).toMatch(/^Too many password reset requests for this email address: 3 per 10 minutes\. Try again in \d+ (minutes|seconds)\.$/);
  });

  it('write windows and waits in words', () => {
    expect([windowText(3600), windowText(600), windowText(60), windowText(86400), windowText(90), windowText(1)]).toEqual(['hour', '10 minutes', 'minute', 'day', '90 seconds', 'second']);
    expect([durationText(1), durationText(59), durationText(60), durationText(2460), durationText(7199), durationText(7200), durationText(86400 * 3)]).toEqual(['1 second', '59 seconds', '1 minute', '41 minutes', '120 minutes', '2 hours', '3 days']);
  });
});
