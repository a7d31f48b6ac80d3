import { env } from 'cloudflare:workers';
import { createExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import wranglerToml from '../wrangler.toml?raw';
import packageJson from '../package.json';
import devScript from '../scripts/dev.mjs?raw';
import worker from '../src/index';
import { ConfigError, getConfig, missingSecrets } from '../src/config/config';
import { saveDevMail } from '../src/mail/dev-mailbox/mailbox';
import { encryptSecret } from '../src/mfa/secret-box';
import { auditTargetHash } from '../src/audit/identifier-hash';
import { getKeySet } from '../src/tokens/keys';
import { ensureDevSigningKey } from '../src/tokens/dev-key';
import type { Env } from '../src/env';
import { STRONG_PASSWORD, uniqueEmail } from './helpers/api';

/** The bindings of the test env without a single var or secret (they are all strings). */
function bindingsOnly(): Env {
  return Object.fromEntries(Object.entries(env).filter(([, value]) => typeof value !== 'string')) as unknown as Env;
}

/** The `KEY = "value"` lines of one table of a TOML file (enough for wrangler.toml's vars). */
function tomlTable(text: string, table: string): Record<string, string> {
  const values: Record<string, string> = {};
  let current = '';
  for (const line of text.split('\n').map((l) => l.trim())) {
    const header = /^\[+([^\]]+)\]+$/.exec(line);
    if (header) current = header[1]!.trim();
    const pair = /^([A-Za-z0-9_]+)\s*=\s*"([^"]*)"/.exec(line);
    if (pair && current === table) values[pair[1]!] = pair[2]!;
  }
  return values;
}

async function fetchWith(workerEnv: Env, path: string, init: RequestInit = {}) {
  const res = await worker.fetch(new Request(`https://gatehouse.test${path}`, init), workerEnv, createExecutionContext());
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('the top-level wrangler.toml', () => {
  const vars = tomlTable(wranglerToml, 'vars');

  it('was read (the test would pass vacuously otherwise)', () => {
    expect(wranglerToml).toContain('[vars]');
    expect(vars.APP_NAME).toBe('Gatehouse');
  });

  it('declares neither development nor the dev transport nor a localhost URL', () => {
    expect(vars.ENVIRONMENT?.trim()).not.toBe('development');
    expect(vars.MAIL_TRANSPORT?.trim()).not.toBe('dev');
    expect(vars.PUBLIC_URL ?? '').not.toMatch(/localhost|127\.0\.0\.1/);
  });

  it('runs as production on its vars alone, and refuses to serve until configured', () => {
    const deployed = { ...bindingsOnly(), ...vars } as Env;
    const config = getConfig(deployed);
    expect(config.isDevelopment).toBe(false);
    expect(config.mailTransport).not.toBe('dev');
    expect(missingSecrets(deployed, config)).toEqual(expect.arrayContaining(['PUBLIC_URL', 'JWT_PRIVATE_JWKS', 'MFA_ENCRYPTION_KEY', 'AUDIT_HASH_KEY']));
  });

  it('is turned into development only by the commands that mean it: npm run dev says so', () => {
    // npm run dev is scripts/dev.mjs (issue 17: PUBLIC_URL follows the port): it migrates, then runs wrangler dev as development.
    expect(packageJson.scripts.dev).toBe('node scripts/dev.mjs');
    expect(devScript).toContain("const extra = ['--var', 'ENVIRONMENT:development'];");
    expect(devScript).toMatch(/spawn\(wrangler, \['dev', \.\.\.extra, \.\.\.args\]/);
    expect(devScript).toContain("['d1', 'migrations', 'apply', 'DB', '--local'");
  });

  it('[env.production] says production and a real transport', () => {
    const production = tomlTable(wranglerToml, 'env.production.vars');
    expect(production.ENVIRONMENT).toBe('production');
    expect(production.MAIL_TRANSPORT).not.toBe('dev');
    expect(production.PUBLIC_URL).toMatch(/^https:\/\//);
  });
});

describe('a worker started with no vars and no secrets', () => {
  it('/health answers 503 {"status":"misconfigured"}, on every path it is served at', async () => {
    for (const path of ['/health', '/health/', '/api/v1/health', '/api/v1/health/']) {
      const res = await fetchWith(bindingsOnly(), path);
      expect(res.status, path).toBe(503);
      expect(res.body, path).toEqual({ status: 'misconfigured' });
      expect(res.headers.get('Cache-Control'), path).toBe('no-store');
    }
  });

  it('answers 503 service_unavailable in the one error shape on every other route, and changes nothing', async () => {
    const email = uniqueEmail('misconfigured');
    const requests: [string, RequestInit][] = [
      ['/api/v1/auth/register', json({ email, password: STRONG_PASSWORD, password_confirm: STRONG_PASSWORD })],
      ['/api/v1/auth/login', json({ email, password: STRONG_PASSWORD })],
      ['/api/v1/auth/otp/request', json({ email })],
      ['/api/v1/auth/password/forgot', json({ email })],
      [`/dev/mailbox?to=${encodeURIComponent(email)}`, {}],
      ['/.well-known/jwks.json', {}],
      ['/admin', {}],
      ['/no/such/route', {}],
    ];
    for (const [path, init] of requests) {
      const res = await fetchWith(bindingsOnly(), path, init);
      expect(res.status, path).toBe(503);
      expect(Object.keys(res.body.error), path).toEqual(['code', 'message', 'request_id']);
      expect(res.body.error.code, path).toBe('service_unavailable');
      expect(res.body.error.message, path).toContain('PUBLIC_URL');
      expect(res.body.error.request_id, path).toBe(res.headers.get('X-Request-Id'));
    }
    const users = await env.DB.prepare('SELECT count(*) AS n FROM users WHERE email = ?').bind(email).first<{ n: number }>();
    expect(users?.n).toBe(0);
  });

  it('a malformed var makes /health say misconfigured too', async () => {
    const res = await fetchWith({ ...env, LIMIT_REGISTER: 'lots' } as Env, '/health', { headers: { Origin: 'http://localhost:3000' } });
    expect(res.status).toBe(503);
    expect(res.body).toEqual({ status: 'misconfigured' });
  });

  it('with everything configured but ENVIRONMENT, is production: no mailbox', async () => {
    const configured = {
      ...bindingsOnly(),
      PUBLIC_URL: 'https://accounts.example.com',
      MAIL_FROM: 'Gatehouse <no-reply@example.com>',
      JWT_PRIVATE_JWKS: 'present',
      MFA_ENCRYPTION_KEY: 'present',
      AUDIT_HASH_KEY: 'present',
    } as Env;
    expect(missingSecrets(configured, getConfig(configured))).toEqual([]);
    expect((await fetchWith(configured, '/health')).body).toEqual({ status: 'ok' });
    await saveDevMail(env.KV, { to: 'unset.env@example.com', from: 'x', subject: 'code', text: '123456', html: '', raw: '', created_at: new Date().toISOString() }, Date.now());
    const res = await fetchWith(configured, '/dev/mailbox?to=unset.env@example.com');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('the dev mailbox', () => {
  it('is 404 in development with a transport other than dev, for every method', async () => {
    await saveDevMail(env.KV, { to: 'other.transport@example.com', from: 'x', subject: 'code', text: '123456', html: '', raw: '', created_at: new Date().toISOString() }, Date.now());
    for (const transport of ['cloudflare', 'http']) {
      const development = { ...env, ENVIRONMENT: 'development', MAIL_TRANSPORT: transport, MAIL_HTTP_URL: 'https://mail.example/send' } as Env;
      for (const method of ['GET', 'DELETE']) {
        const res = await fetchWith(development, '/dev/mailbox?to=other.transport@example.com', { method });
        expect(res.status, `${transport} ${method}`).toBe(404);
        expect(res.body.error.code, `${transport} ${method}`).toBe('not_found');
      }
    }
    // Still there, and served with the dev transport.
    const dev = await fetchWith(env, '/dev/mailbox?to=other.transport@example.com');
    expect(dev.status).toBe(200);
    expect(dev.body.messages).toHaveLength(1);
  });
});

describe('development keys are never used outside development', () => {
  const unsetEnvironment = () => ({ ...env, ENVIRONMENT: undefined }) as Env;

  it('no generated signing key, even when one is stored', async () => {
    await ensureDevSigningKey(env.DB, Date.now());
    await expect(getKeySet(unsetEnvironment(), Date.now())).rejects.toMatchObject({ code: 'service_unavailable' });
    await expect(getKeySet(env, Date.now())).resolves.toMatchObject({ signing: expect.any(Object) });
  });

  it('no derived MFA key', async () => {
    await expect(encryptSecret(unsetEnvironment(), 'user-1', new Uint8Array(20))).rejects.toBeInstanceOf(ConfigError);
  });

  it('no derived audit hash key', async () => {
    await expect(auditTargetHash(unsetEnvironment(), 'email', 'a@example.com')).rejects.toBeInstanceOf(ConfigError);
  });
});
