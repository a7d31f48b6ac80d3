/// <reference types="vite/client" />
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api, registration } from './helpers/api';
import { deliverInbound, reportAbout } from './helpers/inbound-email';
import { extractCode, waitForMail } from './helpers/mail';
import { createVerifiedUser, type TestUser } from './helpers/users';
import { adminApi, auditRows, signedIn } from './admin.fixtures';
import { ConsoleBrowser, csrfOf, textOf } from './console.fixtures';
import { RESET_MAIL, SIGN_IN_MAIL, VERIFY_MAIL, wrongCode } from './otp.helpers';
import postfixBounce from './fixtures/bounces/postfix-hard-bounce.eml?raw';
import complaintArf from './fixtures/bounces/complaint-arf.eml?raw';

const suppressionOf = (email: string) => env.DB.prepare('SELECT kind, reason FROM mail_suppressions WHERE email = ?').bind(email).first();

/** Suppresses the address the way only a real bounce can: about a message we recorded as sent to it. */
async function suppress(email: string, fixture = postfixBounce) {
  await deliverInbound((await reportAbout(fixture, email)).raw);
  expect(await suppressionOf(email)).not.toBeNull();
}

const lifted = async (userId: string) => (await auditRows(userId, 'mail_suppression_lifted')).map((e) => ({ actor_id: e.actor_id, metadata: JSON.parse(e.metadata) }));

describe('a used code proves the address and lifts its suppression', () => {
  it('a sign-in code: the code still reaches the suppressed address, and using it lifts the suppression', async () => {
    const user = await createVerifiedUser();
    await suppress(user.email);
    expect((await api('/api/v1/auth/otp/request', { body: { email: user.email } })).status).toBe(200);
    const { text } = await waitForMail(user.email, { subject: SIGN_IN_MAIL });
    const signedInWithCode = await api('/api/v1/auth/otp/verify', { body: { email: user.email, code: extractCode(text) } });
    expect(signedInWithCode.status, JSON.stringify(signedInWithCode.body)).toBe(200);
    expect(await suppressionOf(user.email)).toBeNull();
    expect(await lifted(user.id)).toEqual([{ actor_id: user.id, metadata: { by: 'login_code', kind: 'bounce', reason: 'hard bounce (5.1.1)' } }]);
  });

  it('a wrong code lifts nothing', async () => {
    const user = await createVerifiedUser();
    await suppress(user.email);
    await api('/api/v1/auth/otp/request', { body: { email: user.email } });
    const { text } = await waitForMail(user.email, { subject: SIGN_IN_MAIL });
    expect((await api('/api/v1/auth/otp/verify', { body: { email: user.email, code: wrongCode(extractCode(text)) } })).status).toBe(400);
    expect(await suppressionOf(user.email)).toMatchObject({ kind: 'bounce' });
    expect(await lifted(user.id)).toEqual([]);
  });

  it('a password reset code lifts a complaint too', async () => {
    const user = await createVerifiedUser();
    await suppress(user.email, complaintArf);
    expect((await api('/api/v1/auth/password/forgot', { body: { email: user.email } })).status).toBe(200);
    const { text } = await waitForMail(user.email, { subject: RESET_MAIL });
    const reset = await api('/api/v1/auth/password/reset', { body: { email: user.email, code: extractCode(text), new_password: 'Cobalt-Wren-Meadow-64' } });
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect(await suppressionOf(user.email)).toBeNull();
    expect((await lifted(user.id))[0]?.metadata).toEqual({ by: 'reset_code', kind: 'complaint', reason: 'complaint (abuse)' });
  });

  it('a verification link lifts it', async () => {
    const body = registration();
    const id = (await api('/api/v1/auth/register', { body })).body.user.id as string;
    const mail = await waitForMail(body.email, { subject: VERIFY_MAIL });
    await suppress(body.email);
    const token = new URL(/https?:\/\/\S+token=[\w%-]+/.exec(mail.text)![0]).searchParams.get('token')!;
    expect((await api(`/api/v1/auth/verify-email?token=${encodeURIComponent(token)}`)).status).toBe(200);
    expect(await suppressionOf(body.email)).toBeNull();
    expect((await lifted(id))[0]?.metadata).toMatchObject({ by: 'verify_link' });
  });
});

describe('DELETE /api/v1/admin/users/{id}/suppression', () => {
  it('lets an admin lift it, audited with who and what; again it answers lifted: false and records nothing', async () => {
    const admin = await signedIn('admin');
    const user = await createVerifiedUser();
    await suppress(user.email);
    const res = await adminApi(admin, `/users/${user.id}/suppression`, { method: 'DELETE', headers: { 'User-Agent': 'AdminTest/1.0' } });
    expect([res.status, res.body]).toEqual([200, { lifted: true }]);
    expect(await suppressionOf(user.email)).toBeNull();
    const [event] = await auditRows(user.id, 'mail_suppression_lifted');
    expect(event).toMatchObject({ actor_id: admin.id, user_agent: 'AdminTest/1.0', severity: 'low' });
    expect(JSON.parse(event!.metadata)).toEqual({ by: 'admin', kind: 'bounce', reason: 'hard bounce (5.1.1)', actor_role: 'admin' });
    const again = await adminApi(admin, `/users/${user.id}/suppression`, { method: 'DELETE' });
    expect([again.status, again.body]).toEqual([200, { lifted: false }]);
    expect(await auditRows(user.id, 'mail_suppression_lifted')).toHaveLength(1);
    const detail = await adminApi(admin, `/users/${user.id}`);
    expect(detail.body.mail_suppression).toBeNull();
  });

  it('lets a manager lift it for a plain user, but not for staff; users and strangers get 403 and 401', async () => {
    const manager = await signedIn('manager');
    const user = await createVerifiedUser();
    await suppress(user.email);
    const otherManager = await signedIn('manager');
    await suppress(otherManager.email);
    expect((await adminApi(manager, `/users/${otherManager.id}/suppression`, { method: 'DELETE' })).status).toBe(403);
    const plain = await signedIn('user');
    expect((await adminApi(plain, `/users/${user.id}/suppression`, { method: 'DELETE' })).status).toBe(403);
    expect((await api(`/api/v1/admin/users/${user.id}/suppression`, { method: 'DELETE' })).status).toBe(401);
    expect(await suppressionOf(user.email)).not.toBeNull();
    expect((await adminApi(manager, `/users/${user.id}/suppression`, { method: 'DELETE' })).body).toEqual({ lifted: true });
    expect(await suppressionOf(user.email)).toBeNull();
    expect(await suppressionOf(otherManager.email)).not.toBeNull();
    expect((await adminApi(manager, `/users/${crypto.randomUUID()}/suppression`, { method: 'DELETE' })).status).toBe(404);
  });
});

describe('console: lift a mail suppression', () => {
  async function consoleAs(role: 'admin' | 'manager') {
    const staff = await signedIn(role);
    const browser = new ConsoleBrowser();
    await browser.signIn(staff.email, staff.password);
    return { staff, browser };
  }

  it('is offered only while the address is suppressed, asks first, and records who did it', async () => {
    const { staff, browser } = await consoleAs('manager');
    const user: TestUser = await createVerifiedUser();
    expect((await browser.get(`/admin/users/${user.id}`)).html).not.toContain('action=lift_suppression');
    await suppress(user.email);
    const page = await browser.get(`/admin/users/${user.id}`);
    expect(page.html).toContain(`/admin/users/${user.id}/confirm?action=lift_suppression`);
    const confirm = await browser.get(`/admin/users/${user.id}/confirm?action=lift_suppression`);
    expect(confirm.status).toBe(200);
    expect(textOf(confirm.html)).toContain(`Send mail to ${user.email} again?`);
    const csrf = csrfOf(confirm.html);
    expect((await browser.post(`/admin/users/${user.id}/actions`, { action: 'lift_suppression' })).status).toBe(403);
    expect(await suppressionOf(user.email)).not.toBeNull();
    const done = await browser.post(`/admin/users/${user.id}/actions`, { action: 'lift_suppression', csrf });
    expect([done.status, done.location]).toEqual([303, `/admin/users/${user.id}?done=lift_suppression`]);
    expect(textOf((await browser.get(done.location!)).html)).toContain('Mail to this address is no longer suppressed.');
    expect(await suppressionOf(user.email)).toBeNull();
    const [event] = await auditRows(user.id, 'mail_suppression_lifted');
    expect(event).toMatchObject({ actor_id: staff.id, ip: browser.ip, user_agent: 'ConsoleTest/1.0' });
  });
});
