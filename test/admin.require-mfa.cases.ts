import { env } from 'cloudflare:workers';
import { createExecutionContext } from 'cloudflare:test';
import { afterEach, describe, expect, it } from 'vitest';
import worker from '../src/index';
import { setClock } from '../src/clock';
import { ConfigError, getConfig } from '../src/config/config';
import type { Env } from '../src/env';
import { randomIp } from './helpers/api';
import { createEnrolledUser, freezeClock, oathtool } from './helpers/mfa';
import { adminApi, setRole, signedIn } from './admin.fixtures';
import { ConsoleBrowser, textOf } from './console.fixtures';

afterEach(() => setClock(null));

const REQUIRED = { REQUIRE_ADMIN_MFA: 'true' } satisfies Partial<Env>;

/** The admin API as `who`, with the Worker's vars overridden by `vars`. */
async function adminApiWith(vars: Partial<Env>, who: { token: string }, path: string) {
  const request = new Request(`https://gatehouse.test/api/v1/admin${path}`, { headers: { Authorization: `Bearer ${who.token}`, 'CF-Connecting-IP': randomIp() } });
  const res = await worker.fetch(request, { ...env, ...vars } as Env, createExecutionContext());
  return { status: res.status, body: (await res.json()) as any };
}

async function enrolledStaff(role: 'admin' | 'manager') {
  const clock = freezeClock();
  const user = await createEnrolledUser(clock);
  await setRole(user.id, role);
  return { clock, user };
}

describe('REQUIRE_ADMIN_MFA configuration', () => {
  it('is off in development and on in production unless said otherwise; anything but true/false is refused', () => {
    expect(getConfig({ ...env, ENVIRONMENT: 'development' } as Env).requireAdminMfa).toBe(false);
    expect(getConfig({ ...env, ENVIRONMENT: 'production' } as Env).requireAdminMfa).toBe(true);
    expect(getConfig({ ...env, ENVIRONMENT: 'production', REQUIRE_ADMIN_MFA: 'false' } as Env).requireAdminMfa).toBe(false);
    expect(getConfig({ ...env, ENVIRONMENT: 'development', REQUIRE_ADMIN_MFA: ' TRUE ' } as Env).requireAdminMfa).toBe(true);
    expect(getConfig({ ...env, ENVIRONMENT: 'production', REQUIRE_ADMIN_MFA: '  ' } as Env).requireAdminMfa).toBe(true);
    expect(() => getConfig({ ...env, REQUIRE_ADMIN_MFA: 'yes' } as Env)).toThrow(ConfigError);
  });
});

describe('admin API', () => {
  it('with the setting on, refuses staff without two-factor with 403 mfa_enrollment_required', async () => {
    for (const role of ['admin', 'manager'] as const) {
      const staff = await signedIn(role);
      const res = await adminApiWith(REQUIRED, staff, '/users');
      expect([res.status, res.body.error.code], role).toEqual([403, 'mfa_enrollment_required']);
      expect(res.body.error.message).toMatch(/two-factor/);
    }
  });

  it('with the setting on, serves staff with two-factor', async () => {
    const { user } = await enrolledStaff('admin');
    const res = await adminApiWith(REQUIRED, { token: user.access }, `/users/${user.id}`);
    expect([res.status, res.body.user.mfa_enabled]).toEqual([200, true]);
  });

  it('with the setting on, plain users still get 403 forbidden (not told to enrol)', async () => {
    const user = await signedIn('user');
    const res = await adminApiWith(REQUIRED, user, '/users');
    expect([res.status, res.body.error.code]).toEqual([403, 'forbidden']);
  });

  it('with the setting off, staff without two-factor are served', async () => {
    const admin = await signedIn('admin');
    expect((await adminApiWith({ REQUIRE_ADMIN_MFA: 'false' }, admin, '/users')).status).toBe(200);
    // The tests' own environment is development: off by default.
    expect((await adminApi(admin, '/users')).status).toBe(200);
  });
});

describe('console', () => {
  it('with the setting on, staff without two-factor are shown the page asking them to enrol, and get no session', async () => {
    const admin = await signedIn('admin');
    const browser = new ConsoleBrowser(REQUIRED);
    const page = await browser.post('/admin/login', { identifier: admin.email, password: admin.password });
    expect(page.status).toBe(403);
    expect(textOf(page.html)).toContain('Two-factor authentication required');
    expect(page.html).toContain('/api/v1/auth/mfa/totp/setup');
    expect(browser.cookie).toBeNull();
    expect((await browser.get('/admin/users')).location).toBe('/admin/login');
    // The session the sign-in opened was closed again: only the API login's own is left.
    expect((await adminApi(admin, `/users/${admin.id}`)).body.sessions).toHaveLength(1);
  });

  it('with the setting turned on during a console session, the next page is the enrolment notice and the session ends', async () => {
    const admin = await signedIn('manager');
    const open = new ConsoleBrowser();
    await open.signIn(admin.email, admin.password);
    const required = new ConsoleBrowser(REQUIRED);
    required.cookie = open.cookie;
    const page = await required.get('/admin/users');
    expect(page.status).toBe(403);
    expect(textOf(page.html)).toContain('Two-factor authentication required');
    expect((await open.get('/admin/users')).location).toBe('/admin/login');
  });

  it('with the setting on, staff with two-factor sign in with their code and are served', async () => {
    const { clock, user } = await enrolledStaff('admin');
    const browser = new ConsoleBrowser(REQUIRED);
    const step = await browser.post('/admin/login', { identifier: user.email, password: user.password });
    const mfaToken = /name="mfa_token" value="([^"]+)"/.exec(step.html)?.[1];
    expect(mfaToken).toBeTruthy();
    const signedInPage = await browser.post('/admin/login/mfa', { mfa_token: mfaToken!, code: await oathtool(user.secret, clock.now()) });
    expect([signedInPage.status, signedInPage.location]).toEqual([303, '/admin/users']);
    expect((await browser.get('/admin/users')).status).toBe(200);
  });

  it('with the setting off, staff without two-factor use the console', async () => {
    const admin = await signedIn('admin');
    const browser = new ConsoleBrowser({ REQUIRE_ADMIN_MFA: 'false' });
    await browser.signIn(admin.email, admin.password);
    expect((await browser.get('/admin/users')).status).toBe(200);
  });
});
