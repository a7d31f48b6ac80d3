import { env } from 'cloudflare:workers';
import { createExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import { DEFAULTS, getConfig } from '../src/config/config';
import type { Env } from '../src/env';

async function call(overrides: Partial<Env>, path = '/health') {
  const res = await worker.fetch(new Request(`https://gatehouse.test${path}`), { ...env, ...overrides } as Env, createExecutionContext());
  return { status: res.status, body: (await res.json()) as any };
}

describe('configuration', () => {
  it('defaults to the limits of API.md', () => {
    const config = getConfig({ ...env, ENVIRONMENT: undefined } as Env);
    expect(config.isDevelopment).toBe(true);
    expect(config.ttl).toMatchObject({ verifyLink: 86_400, code: 600, accessToken: 900, refreshToken: 604_800, refreshGrace: 10, lockout: 300 });
    expect(config.limits.register).toEqual({ limit: 3, windowSec: 3600 });
    expect(config.limits.resendPerHour).toEqual({ limit: 4, windowSec: 3600 });
    expect(config.limits.resendSpacing).toEqual({ limit: 1, windowSec: 60 });
    expect(config.limits.otpRequest).toEqual({ limit: 3, windowSec: 600 });
    expect(config.limits.otpVerify).toEqual({ limit: 5, windowSec: 600 });
    expect(config.limits.anonymous).toEqual({ limit: 20, windowSec: 60 });
    expect([config.codeMaxAttempts, config.lockoutThreshold, config.passwordHistory]).toEqual([5, 5, 5]);
    expect(DEFAULTS.TTL_SESSION_MAX_AGE).toBe(30 * 86_400);
  });

  it('reads overrides from vars', () => {
    const config = getConfig({ ...env, LIMIT_REGISTER: '10/60', TTL_CODE: '300' } as Env);
    expect(config.limits.register).toEqual({ limit: 10, windowSec: 60 });
    expect(config.ttl.code).toBe(300);
  });

  it('development serves without any secret', async () => {
    expect((await call({ ENVIRONMENT: 'development', MAIL_TRANSPORT: 'dev' })).status).toBe(200);
  });

  it('production refuses to serve, naming what is missing', async () => {
    const res = await call({ ENVIRONMENT: 'production', MAIL_TRANSPORT: 'http', MAIL_HTTP_URL: undefined, MAIL_HTTP_API_KEY: undefined });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('service_unavailable');
    expect(res.body.error.message).toContain('MAIL_HTTP_API_KEY');
    const devTransport = await call({ ENVIRONMENT: 'production', MAIL_TRANSPORT: 'dev' });
    expect(devTransport.status).toBe(503);
  });

  it('a malformed var is a clear 503, not a crash', async () => {
    const res = await call({ LIMIT_REGISTER: 'lots' });
    expect(res.status).toBe(503);
    expect(res.body.error.message).toContain('LIMIT_REGISTER');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
  });
});
