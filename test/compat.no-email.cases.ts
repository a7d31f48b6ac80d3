import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api, STRONG_PASSWORD, uniqueEmail } from './helpers/api';
import { mailSettled, readMailbox } from './helpers/mail';
import { adminApi, signedIn } from './admin.fixtures';
import { uniquePkMobile, uniqueUsername } from './compat.fixtures';

const ukMobile = () => uniquePkMobile().e164;

/** The phone-and-username app's signup: no email at all. */
async function signupWithoutEmail() {
  const username = uniqueUsername('nomail');
  const phone = ukMobile();
  const res = await api('/api/v1/accounts/signup/', { body: { username, phone_number: phone, password: STRONG_PASSWORD, password2: STRONG_PASSWORD } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return { id: res.body.user.id as string, username, phone, res };
}

describe('accounts without an email', () => {
  it('register with a username and a phone; the user reads email: null and signs in by either', async () => {
    const { username, phone, res } = await signupWithoutEmail();
    expect(res.body.user.email).toBeNull();
    expect(res.body).toMatchObject({ email: null, is_verified: false });
    const row = await env.DB.prepare('SELECT email FROM users WHERE id = ?').bind(res.body.id).first<{ email: string | null }>();
    expect(row).toEqual({ email: null });

    // Nothing to verify: it signs in at once, by username or by phone.
    const byName = await api('/api/v1/auth/login', { body: { username: username.toUpperCase(), password: STRONG_PASSWORD } });
    expect(byName.status, JSON.stringify(byName.body)).toBe(200);
    expect(byName.body.user.email).toBeNull();
    const byPhone = await api('/api/v1/auth/login', { body: { identifier: phone, password: STRONG_PASSWORD } });
    expect(byPhone.status).toBe(200);
    const me = await api('/api/v1/auth/me', { token: byPhone.body.access });
    expect(me.body).toMatchObject({ email: null, username });
  });

  it('needs both a username and a phone: either alone is refused, naming email', async () => {
    const onlyName = await api('/api/v1/auth/register', { body: { username: uniqueUsername(), password: STRONG_PASSWORD, password_confirm: STRONG_PASSWORD } });
    expect(onlyName.status).toBe(400);
    expect(onlyName.body.error.fields.email).toBeDefined();
    const onlyPhone = await api('/api/v1/auth/register', { body: { phone_number: ukMobile(), password: STRONG_PASSWORD, password_confirm: STRONG_PASSWORD } });
    expect(onlyPhone.status).toBe(400);
    expect(onlyPhone.body.error.fields.email).toBeDefined();
    // Nothing was written.
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM users WHERE email IS NULL AND (username IS NULL OR phone_number IS NULL)').first<{ n: number }>();
    expect(rows?.n).toBe(0);
  });

  it('cannot drop its username or phone through PATCH /auth/me', async () => {
    const { phone } = await signupWithoutEmail();
    const { access } = (await api('/api/v1/auth/login', { body: { phone_number: phone, password: STRONG_PASSWORD } })).body;
    const dropName = await api('/api/v1/auth/me', { method: 'PATCH', token: access, body: { username: null } });
    expect(dropName.status).toBe(400);
    expect(dropName.body.error.fields.username).toBeDefined();
    const dropPhone = await api('/api/v1/auth/me', { method: 'PATCH', token: access, body: { phone_number: '' } });
    expect(dropPhone.status).toBe(400);
    expect((await api('/api/v1/auth/me', { token: access })).body.phone_number).toBe(phone);
  });

  it('code flows that need mail answer for it exactly as for an unknown address, and mail nothing', async () => {
    const { username, phone } = await signupWithoutEmail();
    const unknown = uniqueEmail('unknown');
    // What such a user might type into the email box of a code form.
    for (const [path, extra] of [
      ['/api/v1/auth/resend-verification', {}],
      ['/api/v1/auth/otp/request', {}],
      ['/api/v1/auth/password/forgot', {}],
    ] as const) {
      const forUser = await api(path, { body: { email: `${username}@example.com`, ...extra } });
      const forUnknown = await api(path, { body: { email: unknown, ...extra } });
      expect([forUser.status, forUser.body.message]).toEqual([forUnknown.status, forUnknown.body.message]);
      // A phone number in the email field is refused the same way as any non-address.
      const asPhone = await api(path, { body: { email: phone } });
      const asJunk = await api(path, { body: { email: '+0000' } });
      expect([asPhone.status, asPhone.body.error?.code]).toEqual([asJunk.status, asJunk.body.error?.code]);
    }
    await mailSettled();
    expect(await readMailbox(`${username}@example.com`)).toEqual([]);
  });

  it('an admin can give it an email (unverified unless said), which it can then sign in with', async () => {
    const admin = await signedIn('admin');
    const { id } = await signupWithoutEmail();
    const email = uniqueEmail('given');
    const res = await adminApi(admin, `/users/${id}`, { method: 'PATCH', body: { email: email.toUpperCase() } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ email, email_verified: false });
    // Now it has an address, that address must be verified first (REQUIRE_EMAIL_VERIFICATION).
    const unverified = await api('/api/v1/auth/login', { body: { email, password: STRONG_PASSWORD } });
    expect([unverified.status, unverified.body.error.code]).toEqual([403, 'email_not_verified']);
    expect((await adminApi(admin, `/users/${id}`, { method: 'PATCH', body: { email_verified: true } })).status).toBe(200);
    expect((await api('/api/v1/auth/login', { body: { email, password: STRONG_PASSWORD } })).status).toBe(200);
    const audit = await env.DB.prepare("SELECT metadata FROM audit_events WHERE user_id = ? AND type = 'admin_user_updated' ORDER BY created_at").bind(id).all<{ metadata: string }>();
    expect(audit.results.map((r) => JSON.parse(r.metadata).fields)).toEqual([['email'], ['email_verified']]);
  });

  it('admin email edits: a taken address is 409, a bad one 400, and removing it needs username and phone', async () => {
    const admin = await signedIn('admin');
    const { id } = await signupWithoutEmail();
    const taken = await adminApi(admin, `/users/${id}`, { method: 'PATCH', body: { email: admin.email } });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'email_taken']);
    const bad = await adminApi(admin, `/users/${id}`, { method: 'PATCH', body: { email: 'not-an-address' } });
    expect(bad.status).toBe(400);
    const other = await signedIn('user');
    const removeFromEmailOnly = await adminApi(admin, `/users/${other.id}`, { method: 'PATCH', body: { email: null } });
    expect(removeFromEmailOnly.status).toBe(400);
    const row = await env.DB.prepare('SELECT email FROM users WHERE id = ?').bind(other.id).first<{ email: string }>();
    expect(row?.email).toBe(other.email);
  });

  it('two admins giving the same address to two accounts at once: one wins, the other gets 409', async () => {
    const admin = await signedIn('admin');
    const [a, b] = [await signupWithoutEmail(), await signupWithoutEmail()];
    const email = uniqueEmail('race');
    const results = await Promise.all([a, b].map((u) => adminApi(admin, `/users/${u.id}`, { method: 'PATCH', body: { email } })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const holders = await env.DB.prepare('SELECT count(*) AS n FROM users WHERE email = ?').bind(email).first<{ n: number }>();
    expect(holders?.n).toBe(1);
  });

  it('a manager may not edit an email', async () => {
    const manager = await signedIn('manager');
    const { id } = await signupWithoutEmail();
    const res = await adminApi(manager, `/users/${id}`, { method: 'PATCH', body: { email: uniqueEmail() } });
    expect(res.status).toBe(403);
  });

  it('changes its password (checked by its username under the lockout) with no notice to send', async () => {
    const { username, phone } = await signupWithoutEmail();
    const { access } = (await api('/api/v1/auth/login', { body: { username, password: STRONG_PASSWORD } })).body;
    const wrong = await api('/api/v1/auth/password/change', { token: access, body: { current_password: 'Wrong-Otter-Garden-11', new_password: 'Copper-Heron-Lantern-58' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields.current_password).toBeDefined();
    const changed = await api('/api/v1/auth/password/change', { token: access, body: { current_password: STRONG_PASSWORD, new_password: 'Copper-Heron-Lantern-58' } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect((await api('/api/v1/auth/login', { body: { phone_number: phone, password: 'Copper-Heron-Lantern-58' } })).status).toBe(200);
    const failures = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE type = 'login_failed' AND metadata LIKE '%\"via\":\"username\"%' AND user_id = (SELECT id FROM users WHERE username = ?)").bind(username).first<{ n: number }>();
    expect(failures?.n).toBe(1);
  });
});
