import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { api, STRONG_PASSWORD } from './helpers/api';
import { createVerifiedUser, login } from './helpers/users';
import { waitForMail } from './helpers/mail';
import { createEnrolledUser, freezeClock, passwordStep } from './helpers/mfa';
import { adminApi, auditRows, setRole, signedIn } from './admin.fixtures';
import { ConsoleBrowser, csrfOf, textOf } from './console.fixtures';

afterEach(() => setClock(null));

const resetMfa = (who: { token: string }, id: string) => adminApi(who, `/users/${id}/reset-mfa`, { method: 'POST' });

async function mfaRows(userId: string): Promise<[number, number, number]> {
  const rows = await env.DB.batch([
    env.DB.prepare('SELECT count(*) AS n FROM mfa_totp WHERE user_id = ?').bind(userId),
    env.DB.prepare('SELECT count(*) AS n FROM mfa_recovery_codes WHERE user_id = ?').bind(userId),
    env.DB.prepare('SELECT mfa_enabled AS n FROM users WHERE id = ?').bind(userId),
  ]);
  return rows.map((r) => (r.results[0] as { n: number }).n) as [number, number, number];
}

describe('POST /api/v1/admin/users/{id}/reset-mfa', () => {
  it('lets an admin turn off a lost second factor: secret and codes gone, sessions ended, audited high, owner mailed, password login works', async () => {
    const clock = freezeClock();
    const admin = await signedIn('admin');
    const owner = await createEnrolledUser(clock);
    expect(await mfaRows(owner.id)).toEqual([1, 10, 1]);
    const res = await resetMfa(admin, owner.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.user).toMatchObject({ id: owner.id, mfa_enabled: false });
    expect(res.body.revoked_sessions).toBe(1);
    expect(await mfaRows(owner.id)).toEqual([0, 0, 0]);

    // The enrolling session is over, and the owner signs in with the password alone.
    expect((await api('/api/v1/auth/me', { method: 'PATCH', token: owner.access, body: { first_name: 'X' } })).status).toBe(401);
    const tokens = await login(owner);
    expect([tokens.access, tokens.user.mfa_enabled]).toEqual([expect.any(String), false]);

    const [event] = await auditRows(owner.id, 'admin_mfa_reset');
    expect(event).toMatchObject({ severity: 'high', actor_id: admin.id });
    expect(JSON.parse(event!.metadata)).toMatchObject({ was_enabled: true, unused_recovery_codes: 10, actor_role: 'admin' });
    const mail = await waitForMail(owner.email, { predicate: (m) => m.text.includes('an administrator turned two-factor authentication off') });
    expect(mail.subject).toMatch(/Two-factor authentication changed/);
  });

  it('also clears a pending setup, so the owner enrols afresh', async () => {
    const admin = await signedIn('admin');
    const owner = await createVerifiedUser();
    const { access } = await login(owner);
    const pending = (await api('/api/v1/auth/mfa/totp/setup', { token: access, body: { password: STRONG_PASSWORD } })).body.secret;
    expect((await resetMfa(admin, owner.id)).status).toBe(200);
    expect(await mfaRows(owner.id)).toEqual([0, 0, 0]);
    const { access: fresh } = await login(owner);
    const again = await api('/api/v1/auth/mfa/totp/setup', { token: fresh, body: { password: STRONG_PASSWORD } });
    expect(again.status).toBe(200);
    expect(again.body.secret).not.toBe(pending);
  });

  it('an mfa_token issued before the reset no longer works', async () => {
    const clock = freezeClock();
    const admin = await signedIn('admin');
    const owner = await createEnrolledUser(clock);
    const mfaToken = await passwordStep(owner);
    expect((await resetMfa(admin, owner.id)).status).toBe(200);
    const res = await api('/api/v1/auth/mfa/verify', { body: { mfa_token: mfaToken, code: owner.recoveryCodes[0] } });
    expect([res.status, res.body.error.code]).toEqual([400, 'token_invalid']);
  });

  it('is refused to managers and users (403) and changes nothing', async () => {
    const clock = freezeClock();
    const owner = await createEnrolledUser(clock);
    for (const role of ['manager', 'user'] as const) {
      const who = await signedIn(role);
      const res = await resetMfa(who, owner.id);
      expect([res.status, res.body.error.code], role).toEqual([403, 'forbidden']);
    }
    expect(await mfaRows(owner.id)).toEqual([1, 10, 1]);
    expect(await auditRows(owner.id, 'admin_mfa_reset')).toEqual([]);
  });

  it('an admin cannot reset their own; nothing to reset is a 400; an unknown or deleted account a 404', async () => {
    const clock = freezeClock();
    const admin = await createEnrolledUser(clock);
    await setRole(admin.id, 'admin');
    const self = await resetMfa({ token: admin.access }, admin.id);
    expect([self.status, self.body.error.code]).toEqual([403, 'forbidden']);
    expect(await mfaRows(admin.id)).toEqual([1, 10, 1]);

    const plain = await createVerifiedUser();
    const nothing = await resetMfa({ token: admin.access }, plain.id);
    expect([nothing.status, nothing.body.error.code]).toEqual([400, 'validation_failed']);
    expect(await auditRows(plain.id, 'admin_mfa_reset')).toEqual([]);

    expect((await resetMfa({ token: admin.access }, crypto.randomUUID())).status).toBe(404);
    const deleted = await createEnrolledUser(clock);
    expect((await adminApi({ token: admin.access }, `/users/${deleted.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await resetMfa({ token: admin.access }, deleted.id)).status).toBe(404);
  });
});

describe('console: reset two-factor', () => {
  it('is offered to admins on an enrolled account, confirmed on its own page, and posted through the form', async () => {
    const clock = freezeClock();
    const admin = await signedIn('admin');
    const owner = await createEnrolledUser(clock);
    const browser = new ConsoleBrowser();
    await browser.signIn(admin.email, admin.password);

    const page = await browser.get(`/admin/users/${owner.id}`);
    expect(page.html).toContain(`/admin/users/${owner.id}/confirm?action=reset_mfa`);
    const confirm = await browser.get(`/admin/users/${owner.id}/confirm?action=reset_mfa`);
    expect(confirm.status).toBe(200);
    expect(textOf(confirm.html)).toContain(`Turn off two-factor authentication for ${owner.email}?`);
    expect(confirm.html).toContain('name="action" value="reset_mfa"');
    expect(await mfaRows(owner.id)).toEqual([1, 10, 1]);

    const done = await browser.post(`/admin/users/${owner.id}/actions`, { action: 'reset_mfa', csrf: csrfOf(confirm.html) });
    expect([done.status, done.location]).toEqual([303, `/admin/users/${owner.id}?done=reset_mfa`]);
    expect(textOf((await browser.get(done.location!)).html)).toContain('Two-factor authentication is reset');
    expect(await mfaRows(owner.id)).toEqual([0, 0, 0]);
    const [event] = await auditRows(owner.id, 'admin_mfa_reset');
    expect(event).toMatchObject({ severity: 'high', actor_id: admin.id });
    // Not offered once there is nothing to reset.
    expect((await browser.get(`/admin/users/${owner.id}`)).html).not.toContain('action=reset_mfa');
  });

  it('is neither offered to nor accepted from a manager', async () => {
    const clock = freezeClock();
    const manager = await signedIn('manager');
    const owner = await createEnrolledUser(clock);
    const browser = new ConsoleBrowser();
    await browser.signIn(manager.email, manager.password);
    const page = await browser.get(`/admin/users/${owner.id}`);
    expect(page.html).not.toContain('action=reset_mfa');
    expect((await browser.get(`/admin/users/${owner.id}/confirm?action=reset_mfa`)).status).toBe(403);
    expect((await browser.post(`/admin/users/${owner.id}/actions`, { action: 'reset_mfa', csrf: csrfOf(page.html) })).status).toBe(403);
    expect(await mfaRows(owner.id)).toEqual([1, 10, 1]);
  });
});
