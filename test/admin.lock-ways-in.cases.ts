import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { userState } from '../src/accounts/state/client';
import { api, type ApiResponse } from './helpers/api';
import { createVerifiedUser, login } from './helpers/users';
import { createEnrolledUser, freezeClock, oathtool, passwordStep, verifyMfa } from './helpers/mfa';
import { adminApi, signedIn } from './admin.fixtures';
import { ConsoleBrowser, textOf } from './console.fixtures';
import { codeFromMail, RESET_MAIL, SIGN_IN_MAIL, wrongCode } from './otp.helpers';
import type { DevMail } from './helpers/mail';

afterEach(() => setClock(null));

const NEW_PASSWORD = 'Quiet-Harbor-Lantern-47';
const LOCK_MESSAGE = 'This account is locked; try again later.';

const passwordLogin = (email: string, password: string) => api('/api/v1/auth/login', { body: { email, password } });
const otpVerify = (email: string, code: string) => api('/api/v1/auth/otp/verify', { body: { email, code } });
const reset = (email: string, code: string) => api('/api/v1/auth/password/reset', { body: { email, code, new_password: NEW_PASSWORD } });
const refresh = (token: string) => api('/api/v1/auth/refresh', { body: { refresh: token } });

async function loginCode(email: string) {
  expect((await api('/api/v1/auth/otp/request', { body: { email } })).status).toBe(200);
  return (await codeFromMail(email, SIGN_IN_MAIL)).code;
}

/** A fresh reset code: newer than `after`, the previous one's mail. */
async function resetCode(email: string, after?: DevMail) {
  expect((await api('/api/v1/auth/password/forgot', { body: { email } })).status).toBe(200);
  return codeFromMail(email, RESET_MAIL, after);
}

/** 423 account_locked with the admin lock's message and the seconds it has left. */
function expectAdminLocked(res: ApiResponse, retryAfter: number, label: string): void {
  expect([res.status, res.body?.error?.code, res.body?.error?.message], `${label}: ${JSON.stringify(res.body)}`).toEqual([423, 'account_locked', LOCK_MESSAGE]);
  expect(res.headers.get('Retry-After'), label).toBe(String(retryAfter));
}

async function lock(admin: { token: string }, userId: string, minutes = 15) {
  const res = await adminApi(admin, `/users/${userId}/lock`, { body: { minutes } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

async function unlock(admin: { token: string }, userId: string) {
  expect((await adminApi(admin, `/users/${userId}/unlock`, { method: 'POST' })).status).toBe(200);
}

describe('an admin lock blocks every way in', () => {
  it('password, emailed code (even the right one), reset and refresh answer 423; codes and tokens stay unspent for after an unlock', async () => {
    const clock = freezeClock();
    const admin = await signedIn('admin');
    const user = await createVerifiedUser();
    const tokens = await login(user);
    const otp = await loginCode(user.email);
    const { code: resetting } = await resetCode(user.email);
    await lock(admin, user.id);

    expectAdminLocked(await passwordLogin(user.email, user.password), 900, 'password');
    expectAdminLocked(await otpVerify(user.email, otp), 900, 'emailed code');
    expectAdminLocked(await reset(user.email, resetting), 900, 'reset');
    expectAdminLocked(await refresh(tokens.refresh), 900, 'refresh');
    // A wrong code learns nothing about the lock: it is wrong, as for any address.
    const wrong = await otpVerify(user.email, wrongCode(otp));
    expect([wrong.status, wrong.body.error.code]).toEqual([400, 'otp_invalid']);
    clock.advance(60_000);
    expectAdminLocked(await passwordLogin(user.email, user.password), 840, 'a minute later');

    await unlock(admin, user.id);
    expect((await refresh(tokens.refresh)).status).toBe(200);
    expect((await otpVerify(user.email, otp)).status).toBe(200);
    expect((await reset(user.email, resetting)).status).toBe(200);
    expect((await passwordLogin(user.email, NEW_PASSWORD)).status).toBe(200);
  });

  it('refuses the second factor with 423 and leaves the mfa_token and its code for after an unlock', async () => {
    const clock = freezeClock();
    const admin = await signedIn('admin');
    const user = await createEnrolledUser(clock);
    const mfaToken = await passwordStep(user);
    await lock(admin, user.id, 60);
    const code = await oathtool(user.secret, clock.now());
    expectAdminLocked(await verifyMfa(mfaToken, code), 3600, 'second factor');
    await unlock(admin, user.id);
    const res = await verifyMfa(mfaToken, code);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.access).toBeTruthy();
  });

  it('refuses the console sign-in, and the console shows the lock apart from the failure lockout', async () => {
    freezeClock();
    const admin = await signedIn('admin');
    const staff = await signedIn('manager');
    const adminBrowser = new ConsoleBrowser();
    await adminBrowser.signIn(admin.email, admin.password);
    const csrf = await adminBrowser.csrf();
    const locked = await adminBrowser.post(`/admin/users/${staff.id}/actions`, { action: 'lock', minutes: '240', reason: 'Laptop left on a train', csrf });
    expect(locked.status).toBe(303);

    const page = textOf((await adminBrowser.get(`/admin/users/${staff.id}`)).html);
    expect(page).toContain('locked by staff');
    expect(page).toMatch(new RegExp(`Admin lock locked until \\S+ \\S+ UTC by ${admin.email.replace(/\./g, '\\.')} \\(since \\S+ \\S+ UTC\\): Laptop left on a train`));
    expect(page).toContain('not locked (0 failed in a row)');

    const browser = new ConsoleBrowser();
    const refused = await browser.post('/admin/login', { identifier: staff.email, password: staff.password });
    expect(refused.status).toBe(423);
    expect(textOf(refused.html)).toContain('This account is locked. Try again in 240 minute(s).');
    expect(browser.cookie).toBeNull();

    await unlock(admin, staff.id);
    await browser.signIn(staff.email, staff.password);
  });

  it('ends by itself: when its time is up every way in works again (injected clock)', async () => {
    const clock = freezeClock();
    const start = clock.now();
    const admin = await signedIn('admin');
    const user = await createVerifiedUser();
    const tokens = await login(user);
    await lock(admin, user.id);
    expectAdminLocked(await passwordLogin(user.email, user.password), 900, 'password');

    clock.set(start + 15 * 60_000 - 1);
    expectAdminLocked(await refresh(tokens.refresh), 1, 'refresh in its last millisecond');
    clock.set(start + 15 * 60_000);
    expect((await refresh(tokens.refresh)).status).toBe(200);
    expect((await passwordLogin(user.email, user.password)).status).toBe(200);
    expect((await otpVerify(user.email, await loginCode(user.email))).status).toBe(200);
    expect((await reset(user.email, (await resetCode(user.email)).code)).status).toBe(200);
  });

  it('opens no session while it holds, even for a sign-in that passed its checks just before the lock', async () => {
    const clock = freezeClock();
    const user = await createVerifiedUser();
    const state = userState(env, user.id);
    const client = { ip: '203.0.113.7', userAgent: null, device: null };
    await state.placeAdminLock({ until: clock.now() + 60_000, lockedAt: clock.now(), actor: { id: 'staff-id', email: 'staff@example.com' }, reason: null });
    expect(await state.openSession(client, clock.now())).toEqual({ locked: true, retryAfter: 60 });
    expect(await state.listSessions(clock.now())).toEqual([]);
    clock.advance(60_000);
    expect(await state.openSession(client, clock.now())).toMatchObject({ ip: '203.0.113.7' });
  });

  it('a reset clears the failure lockout only, never the admin lock', async () => {
    const clock = freezeClock();
    const start = clock.now();
    const admin = await signedIn('admin');
    const user = await createVerifiedUser();
    const state = userState(env, user.id);
    for (let i = 0; i < 3; i++) expect((await passwordLogin(user.email, 'Definitely-Wrong-77')).status).toBe(401);
    await lock(admin, user.id);

    // What a successful reset does to the object (clearLockout in password-reset/service.ts):
    await state.unlock();
    expect(await state.adminLockStatus(clock.now())).not.toBeNull();
    expectAdminLocked(await passwordLogin(user.email, user.password), 900, 'after the failures were cleared');
    // And over HTTP a reset cannot even start while the lock holds.
    const first = await resetCode(user.email);
    expectAdminLocked(await reset(user.email, first.code), 900, 'reset');
    expect((await adminApi(admin, `/users/${user.id}`)).body.admin_lock).not.toBeNull();

    for (let i = 0; i < 3; i++) expect((await passwordLogin(user.email, 'Definitely-Wrong-77')).status).toBe(423);
    // Attempts the lock refused are not failures (unlock() above cleared the first three).
    expect(await state.lockoutStatus(clock.now())).toMatchObject({ locked: false, failures: 0 });

    clock.set(start + 15 * 60_000);
    for (let i = 0; i < 2; i++) expect((await passwordLogin(user.email, 'Definitely-Wrong-77')).status).toBe(401);
    expect(await state.lockoutStatus(clock.now())).toMatchObject({ failures: 2 });
    expect((await reset(user.email, (await resetCode(user.email, first.mail)).code)).status).toBe(200);
    expect(await state.lockoutStatus(clock.now())).toMatchObject({ locked: false, failures: 0 });
  });
});
