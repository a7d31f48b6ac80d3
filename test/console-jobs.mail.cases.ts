import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { api } from './helpers/api';
import { extractCode, mailSettled, readMailbox, waitForMail } from './helpers/mail';
import { createVerifiedUser } from './helpers/users';
import { adminApi, auditRows, setRole } from './admin.fixtures';
import { csrfOf, textOf } from './console.fixtures';
import { staffBrowser } from './console-jobs.fixtures';

const NEW_PASSWORD = 'Marble-Finch-Harbor-38';

describe('console: mail a password reset or a fresh verification', () => {
  it('sends a reset code after the confirmation; the owner resets with it; the sending is audited', async () => {
    const { staff, browser } = await staffBrowser();
    const user = await createVerifiedUser();
    const page = await browser.get(`/admin/users/${user.id}`);
    expect(page.html).toContain(`/admin/users/${user.id}/confirm?action=send_password_reset`);
    expect(page.html).not.toContain('action=resend_verification');
    const confirm = await browser.get(`/admin/users/${user.id}/confirm?action=send_password_reset`);
    expect(textOf(confirm.html)).toContain(`Mail ${user.email} a password reset code?`);
    expect(await readMailbox(user.email)).toEqual([]);
    const done = await browser.post(`/admin/users/${user.id}/actions`, { action: 'send_password_reset', csrf: csrfOf(confirm.html) });
    expect([done.status, done.location]).toEqual([303, `/admin/users/${user.id}?done=send_password_reset`]);
    expect(textOf((await browser.get(done.location!)).html)).toContain('A password reset code is on its way.');
    const code = extractCode((await waitForMail(user.email, { subject: /password reset/ })).text);
    const reset = await api('/api/v1/auth/password/reset', { body: { email: user.email, code, new_password: NEW_PASSWORD } });
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect((await api('/api/v1/auth/login', { body: { email: user.email, password: NEW_PASSWORD } })).status).toBe(200);
    const [event] = await auditRows(user.id, 'admin_password_reset_sent');
    expect(event).toMatchObject({ actor_id: staff.id, severity: 'medium' });
    expect(event!.metadata).not.toContain(code);
  });

  it('resends the verification to an unverified account; refuses a verified one (400) and sends nothing', async () => {
    const { staff, browser } = await staffBrowser();
    const user = await createVerifiedUser();
    await env.DB.prepare('UPDATE users SET email_verified = 0 WHERE id = ?').bind(user.id).run();
    const confirm = await browser.get(`/admin/users/${user.id}/confirm?action=resend_verification`);
    expect(textOf(confirm.html)).toContain(`Mail ${user.email} a fresh verification code and link?`);
    const csrf = csrfOf(confirm.html);
    expect((await browser.post(`/admin/users/${user.id}/actions`, { action: 'resend_verification', csrf })).location).toBe(`/admin/users/${user.id}?done=resend_verification`);
    const code = extractCode((await waitForMail(user.email, { subject: /Verify/ })).text);
    expect((await api('/api/v1/auth/verify-email', { body: { email: user.email, code } })).status).toBe(200);
    expect((await auditRows(user.id, 'admin_verification_resent'))[0]).toMatchObject({ actor_id: staff.id });

    const again = await browser.post(`/admin/users/${user.id}/actions`, { action: 'resend_verification', csrf });
    expect(again.status).toBe(400);
    expect(textOf(again.html)).toContain('This address is already verified.');
    await mailSettled();
    expect((await readMailbox(user.email)).filter((m) => /Verify/.test(m.subject))).toHaveLength(1);
    expect(await auditRows(user.id, 'admin_verification_resent')).toHaveLength(1);
  });

  it('managers may mail plain users (a support desk\'s job) but not staff accounts; nothing goes without the CSRF token', async () => {
    const { browser } = await staffBrowser('manager');
    const user = await createVerifiedUser();
    const csrf = await browser.csrf();
    expect((await browser.post(`/admin/users/${user.id}/actions`, { action: 'send_password_reset' })).status).toBe(403);
    expect(await auditRows(user.id, 'admin_password_reset_sent')).toEqual([]);
    expect((await browser.post(`/admin/users/${user.id}/actions`, { action: 'send_password_reset', csrf })).status).toBe(303);
    await waitForMail(user.email, { subject: /password reset/ });

    const admin = await createVerifiedUser();
    await setRole(admin.id, 'admin');
    const refused = await browser.post(`/admin/users/${admin.id}/actions`, { action: 'send_password_reset', csrf });
    expect(refused.status).toBe(403);
    expect(textOf(refused.html)).toContain('Managers can act only on accounts with the user role.');
    await mailSettled();
    expect(await readMailbox(admin.email)).toEqual([]);
  });

  it('refuses a reset for a deactivated account (its code would not let them in)', async () => {
    const { browser } = await staffBrowser();
    const user = await createVerifiedUser();
    await env.DB.prepare('UPDATE users SET is_active = 0 WHERE id = ?').bind(user.id).run();
    expect((await browser.get(`/admin/users/${user.id}`)).html).not.toContain('action=send_password_reset');
    const res = await browser.post(`/admin/users/${user.id}/actions`, { action: 'send_password_reset', csrf: await browser.csrf() });
    expect(res.status).toBe(400);
    expect(await auditRows(user.id, 'admin_password_reset_sent')).toEqual([]);
  });

  it('is the admin API\'s too: send-password-reset and resend-verification', async () => {
    const { staff } = await staffBrowser();
    const user = await createVerifiedUser();
    expect((await adminApi(staff, `/users/${user.id}/send-password-reset`, { method: 'POST' })).body).toEqual({ sent: true });
    expect((await adminApi(staff, `/users/${user.id}/resend-verification`, { method: 'POST' })).status).toBe(400);
    expect((await adminApi(staff, `/users/${crypto.randomUUID()}/send-password-reset`, { method: 'POST' })).status).toBe(404);
    await waitForMail(user.email, { subject: /password reset/ });
  });
});
