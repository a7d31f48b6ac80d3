import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { api } from './helpers/api';
import { createEnrolledUser, freezeClock, oathtool } from './helpers/mfa';
import { setRole } from './admin.fixtures';
import { ConsoleBrowser, textOf } from './console.fixtures';

afterEach(() => setClock(null));

/** An admin with TOTP on; the console asks for the code after the password. */
async function enrolledAdmin() {
  const clock = freezeClock();
  const admin = await createEnrolledUser(clock);
  await setRole(admin.id, 'admin');
  return { clock, admin };
}

async function passwordStep(browser: ConsoleBrowser, email: string, password: string): Promise<string> {
  const page = await browser.post('/admin/login', { identifier: email, password });
  expect(page.status).toBe(200);
  expect(textOf(page.html)).toContain('Two-factor code');
  expect(browser.cookie).toBeNull();
  const token = /name="mfa_token" value="([^"]+)"/.exec(page.html)?.[1];
  expect(token).toBeTruthy();
  return token!;
}

describe('console sign-in with two-factor authentication', () => {
  it('asks for the TOTP code after the password and signs in only with it', async () => {
    const { clock, admin } = await enrolledAdmin();
    const browser = new ConsoleBrowser();
    const mfaToken = await passwordStep(browser, admin.email, admin.password);
    expect((await browser.get('/admin/users')).location).toBe('/admin/login');

    const wrong = await browser.post('/admin/login/mfa', { mfa_token: mfaToken, code: '000000' === (await oathtool(admin.secret, clock.now())) ? '111111' : '000000' });
    expect(wrong.status).toBe(400);
    expect(textOf(wrong.html)).toContain('That code is not right.');
    expect(wrong.html).toContain(`value="${mfaToken}"`);

    const right = await browser.post('/admin/login/mfa', { mfa_token: mfaToken, code: await oathtool(admin.secret, clock.now()) });
    expect(right.status).toBe(303);
    expect(right.location).toBe('/admin/users');
    expect(browser.cookie).toMatch(/^__Host-gatehouse_console=/);
    expect((await browser.get('/admin/users')).status).toBe(200);
  });

  it('accepts a recovery code, and refuses a token that is not one', async () => {
    const { admin } = await enrolledAdmin();
    const browser = new ConsoleBrowser();
    const forged = await browser.post('/admin/login/mfa', { mfa_token: 'not-a-token', code: '123456' });
    expect(forged.status).toBe(400);
    expect(textOf(forged.html)).toContain('The sign-in took too long. Start again.');
    const mfaToken = await passwordStep(browser, admin.email, admin.password);
    const res = await browser.post('/admin/login/mfa', { mfa_token: mfaToken, code: admin.recoveryCodes[0]! });
    expect(res.status).toBe(303);
    expect((await browser.get('/admin/users')).status).toBe(200);
  });

  it('refuses the second step when the account stopped being staff in between', async () => {
    const { clock, admin } = await enrolledAdmin();
    const browser = new ConsoleBrowser();
    const mfaToken = await passwordStep(browser, admin.email, admin.password);
    await setRole(admin.id, 'user');
    const res = await browser.post('/admin/login/mfa', { mfa_token: mfaToken, code: await oathtool(admin.secret, clock.now()) });
    expect(res.status).toBe(403);
    expect(browser.cookie).toBeNull();
    // The session the second step opened is closed again at once.
    const sessions = await api('/api/v1/auth/sessions', { token: admin.access });
    expect(sessions.body.results).toHaveLength(1);
  });
});
