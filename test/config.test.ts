import { env } from 'cloudflare:workers';
import { createExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import { ConfigError, DEFAULTS, getConfig, missingSecrets } from '../src/config/config';
import type { Env } from '../src/env';

async function call(overrides: Partial<Env>, path = '/health') {
  const res = await worker.fetch(new Request(`https://gatehouse.test${path}`), { ...env, ...overrides } as Env, createExecutionContext());
  return { status: res.status, body: (await res.json()) as any };
}

describe('configuration', () => {
  it('defaults to the limits of API.md', () => {
    const config = getConfig({ ...env } as Env);
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
    // /health answers only {"status":"misconfigured"} (test/deploy-defaults.test.ts); other routes name it.
    const res = await call({ ENVIRONMENT: 'production', MAIL_TRANSPORT: 'http', MAIL_HTTP_URL: undefined, MAIL_HTTP_API_KEY: undefined }, '/.well-known/jwks.json');
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('service_unavailable');
    expect(res.body.error.message).toContain('MAIL_HTTP_API_KEY');
    const devTransport = await call({ ENVIRONMENT: 'production', MAIL_TRANSPORT: 'dev' });
    expect(devTransport.status).toBe(503);
  });

  it('a malformed var is a clear 503, not a crash', async () => {
    const res = await call({ LIMIT_REGISTER: 'lots' }, '/.well-known/jwks.json');
    expect(res.status).toBe(503);
    expect(res.body.error.message).toContain('LIMIT_REGISTER');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('ENVIRONMENT', () => {
  const environmentOf = (value: string | undefined) => getConfig({ ...env, ENVIRONMENT: value } as Env);

  it('is production when unset, blank or anything but "development"', () => {
    for (const value of [undefined, '', '   ', 'production', 'staging', 'dev', 'Development', 'DEVELOPMENT', 'development-ish', 'true']) {
      const config = environmentOf(value);
      expect(config.environment, JSON.stringify(value)).toBe('production');
      expect(config.isDevelopment, JSON.stringify(value)).toBe(false);
    }
  });

  it('is development only when said, surrounding spaces aside', () => {
    for (const value of ['development', '  development\t']) {
      expect(environmentOf(value).isDevelopment, JSON.stringify(value)).toBe(true);
    }
  });

  it('production falls back to nothing: no localhost URL or sender, the cloudflare transport, no CORS origin', () => {
    const bare = { ...env, ENVIRONMENT: undefined, PUBLIC_URL: undefined, MAIL_FROM: undefined, MAIL_TRANSPORT: undefined, CORS_ORIGINS: undefined } as Env;
    const config = getConfig(bare);
    expect(config).toMatchObject({ publicUrl: '', mailFrom: '', mailTransport: 'cloudflare', corsOrigins: [] });
    expect(missingSecrets(bare, config)).toEqual(expect.arrayContaining(['PUBLIC_URL', 'MAIL_FROM', 'JWT_PRIVATE_JWKS', 'MFA_ENCRYPTION_KEY', 'AUDIT_HASH_KEY']));
  });

  it('development falls back to localhost and the dev transport, and needs no secret', () => {
    const bare = { ...env, ENVIRONMENT: 'development', PUBLIC_URL: undefined, MAIL_FROM: undefined, MAIL_TRANSPORT: undefined, CORS_ORIGINS: undefined } as Env;
    const config = getConfig(bare);
    expect(config).toMatchObject({
      publicUrl: 'http://localhost:8787',
      mailFrom: 'Gatehouse <no-reply@gatehouse.localhost>',
      mailTransport: 'dev',
      corsOrigins: ['http://localhost:3000', 'http://localhost:5173'],
    });
    expect(missingSecrets(bare, config)).toEqual([]);
  });

  it('production with every setting and secret has nothing missing', () => {
    const production = { ...env, ENVIRONMENT: 'production', PUBLIC_URL: 'https://accounts.example.com', MAIL_FROM: 'A <a@example.com>', MAIL_TRANSPORT: 'cloudflare', JWT_PRIVATE_JWKS: 'x', MFA_ENCRYPTION_KEY: 'x', AUDIT_HASH_KEY: 'x' } as Env;
    expect(missingSecrets(production, getConfig(production))).toEqual([]);
    for (const name of ['PUBLIC_URL', 'MAIL_FROM', 'AUDIT_HASH_KEY'] as const) {
      const without = { ...production, [name]: '  ' } as Env;
      expect(missingSecrets(without, getConfig(without)), name).toEqual([name]);
    }
  });

  it('a PUBLIC_URL that is not an absolute http(s) URL is a ConfigError', () => {
    for (const bad of ['accounts.example.com', 'ftp://accounts.example.com', 'javascript:alert(1)']) {
      expect(() => getConfig({ ...env, PUBLIC_URL: bad } as Env), bad).toThrow(ConfigError);
    }
    expect(getConfig({ ...env, PUBLIC_URL: 'https://accounts.example.com///' } as Env).publicUrl).toBe('https://accounts.example.com');
  });
});
import './config.phone-metadata.cases';
import './config.phone-asset.cases';
