import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api, randomIp, STRONG_PASSWORD, uniqueEmail } from './helpers/api';
import { extractCode, readMailbox, waitForMail } from './helpers/mail';
import { createVerifiedUser } from './helpers/users';
import { aliasOf, canonicalPath, ROUTE_ALIASES } from '../src/compat/aliases';
import { uniqueUsername } from './compat.fixtures';

// The replaced apps' own requests, as their frontends send them: their paths (with
// Django's trailing slash), their field names.

/** Verifies with the code of the newest of `mails` verification mails (a resend kills the earlier code). */
async function verifyByMailedCode(email: string, path: string, codeField: 'otp' | 'code', mails = 1) {
  await waitForMail(email, { subject: /Verify/ });
  for (let i = 0; (await readMailbox(email)).filter((m) => /Verify/.test(m.subject)).length < mails; i += 1) {
    if (i > 100) throw new Error(`fewer than ${mails} verification mails to ${email}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const mail = (await readMailbox(email))[0]!;
  const res = await api(path, { body: { email, [codeField]: extractCode(mail.text) } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res;
}

describe('001 (accounts/...): signup, send-otp, verify-email, login, me, logout', () => {
  it('signs up with password2, verifies with otp, signs in, reads and edits me, logs out', async () => {
    const email = uniqueEmail('acc');
    const signup = await api('/api/v1/accounts/signup/', {
      body: { email, username: uniqueUsername('acc'), password: STRONG_PASSWORD, password2: STRONG_PASSWORD, first_name: 'Ali', last_name: 'Khan' },
    });
    expect(signup.status, JSON.stringify(signup.body)).toBe(201);
    // Register's top-level fields, as the replaced apps answered.
    expect(signup.body).toMatchObject({ id: signup.body.user.id, user_id: signup.body.user.id, email, is_verified: false });

    expect((await api('/api/v1/accounts/send-otp/', { body: { email } })).status).toBe(200);
    const verified = await verifyByMailedCode(email, '/api/v1/accounts/verify-email/', 'otp', 2);
    expect(verified.body.user).toMatchObject({ email, email_verified: true });

    const tokens = await api('/api/v1/accounts/login/', { body: { email, password: STRONG_PASSWORD } });
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({ token_type: 'Bearer', user: { email } });

    const me = await api('/api/v1/accounts/me/', { token: tokens.body.access });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email, first_name: 'Ali' });
    const edited = await api('/api/v1/accounts/me/', { method: 'PATCH', token: tokens.body.access, body: { first_name: 'Aliya' } });
    expect(edited.status).toBe(200);
    expect(edited.body.first_name).toBe('Aliya');

    expect((await api('/api/v1/accounts/logout/', { body: { refresh: tokens.body.refresh } })).status).toBe(204);
    expect((await api('/api/v1/auth/refresh', { body: { refresh: tokens.body.refresh } })).status).toBe(401);
  });

  it('refuses a password2 that differs, on password_confirm, and a signup with no confirmation at all', async () => {
    const differs = await api('/api/v1/accounts/signup/', { body: { email: uniqueEmail(), password: STRONG_PASSWORD, password2: 'Other-Otter-Garden-93' } });
    expect(differs.status).toBe(400);
    expect(differs.body.error.fields.password_confirm).toBeDefined();
    // This app had password2: leaving it out is a mistake, not a habit to honour.
    const missing = await api('/api/v1/accounts/signup/', { body: { email: uniqueEmail(), password: STRONG_PASSWORD } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.fields.password_confirm).toBeDefined();
  });
});

describe('002 (auth/jwt/..., auth/verify, auth/resend-code)', () => {
  it('registers without a confirmation, verifies, and uses login, verify, user-info, refresh and logout', async () => {
    const email = uniqueEmail('jwt');
    const reg = await api('/api/v1/auth/jwt/register/', { body: { email, password: STRONG_PASSWORD, first_name: 'Sara', last_name: 'Ahmed' } });
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    expect(reg.body).toMatchObject({ id: reg.body.user.id, user_id: reg.body.user.id, email, is_verified: false });

    expect((await api('/api/v1/auth/resend-code/', { body: { email } })).status).toBe(200);
    await verifyByMailedCode(email, '/api/v1/auth/verify/', 'code', 2);

    const tokens = await api('/api/v1/auth/jwt/login/', { body: { email, password: STRONG_PASSWORD } });
    expect(tokens.status).toBe(200);

    const good = await api('/api/v1/auth/jwt/verify/', { body: { token: tokens.body.access } });
    expect(good.status).toBe(200);
    expect(good.body).toEqual({});
    const bad = await api('/api/v1/auth/jwt/verify/', { body: { token: `${tokens.body.access.slice(0, -4)}AAAA` } });
    expect(bad.status).toBe(401);
    // A refresh token is not an access token.
    expect((await api('/api/v1/auth/jwt/verify/', { body: { token: tokens.body.refresh } })).status).toBe(401);

    const info = await api('/api/v1/auth/jwt/user-info/', { token: tokens.body.access });
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ email, first_name: 'Sara' });

    const refreshed = await api('/api/v1/auth/jwt/refresh/', { body: { refresh: tokens.body.refresh } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access).toEqual(expect.any(String));
    expect(refreshed.body.refresh).toEqual(expect.any(String));

    expect((await api('/api/v1/auth/jwt/logout/', { body: { refresh: refreshed.body.refresh } })).status).toBe(204);
    // The logged-out session's access token no longer verifies.
    expect((await api('/api/v1/auth/jwt/verify/', { body: { token: refreshed.body.access } })).status).toBe(401);
  });

  it('still refuses a confirmation that is sent and differs', async () => {
    const res = await api('/api/v1/auth/jwt/register/', { body: { email: uniqueEmail(), password: STRONG_PASSWORD, password_confirm: 'Other-Otter-Garden-93' } });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.password_confirm).toBeDefined();
  });

  it('verify accepts otp for code; a wrong code answers otp_invalid as on the canonical route', async () => {
    const email = uniqueEmail('otp');
    expect((await api('/api/v1/auth/jwt/register', { body: { email, password: STRONG_PASSWORD } })).status).toBe(201);
    const wrong = await api('/api/v1/auth/verify/', { body: { email, otp: '000000' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('otp_invalid');
    await verifyByMailedCode(email, '/api/v1/auth/verify', 'otp');
  });
});

describe('000 (auth/resend-verification-email)', () => {
  it('answers as resend-verification does, for known and unknown addresses alike, and shares its budget', async () => {
    const email = uniqueEmail('old');
    expect((await api('/api/v1/auth/register', { body: { email, password: STRONG_PASSWORD, password_confirm: STRONG_PASSWORD } })).status).toBe(201);
    const known = await api('/api/v1/auth/resend-verification-email/', { body: { email } });
    const unknown = await api('/api/v1/auth/resend-verification-email/', { body: { email: uniqueEmail('nobody') } });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(known.body).toEqual(unknown.body);
    // The canonical route within the 60 s spacing: the alias spent the same budget.
    const again = await api('/api/v1/auth/resend-verification', { body: { email } });
    expect(again.status).toBe(429);
  });
});

describe('aliases in general', () => {
  it('every alias resolves to a route, with or without its trailing slash', () => {
    for (const entry of ROUTE_ALIASES) {
      expect(canonicalPath(`/api/v1/${entry.alias}`)).toBe(`/api/v1/${entry.target}`);
      expect(aliasOf(`/api/v1/${entry.alias}`)).toBe(entry);
    }
    expect(canonicalPath('/api/v1/auth/login')).toBe('/api/v1/auth/login');
  });

  it('an alias shares its route\'s per-IP limit (register: 3 per hour), so it is no way around it', async () => {
    const ip = randomIp();
    const body = () => ({ email: uniqueEmail('limit'), password: STRONG_PASSWORD, password_confirm: STRONG_PASSWORD });
    expect((await api('/api/v1/auth/register', { ip, body: body() })).status).toBe(201);
    expect((await api('/api/v1/accounts/signup/', { ip, body: body() })).status).toBe(201);
    expect((await api('/api/v1/auth/jwt/register', { ip, body: body() })).status).toBe(201);
    const fourth = await api('/api/v1/accounts/signup', { ip, body: body() });
    expect(fourth.status).toBe(429);
  });

  it('logs in with username or phone through the alias, as the phone-and-username app does', async () => {
    const username = uniqueUsername('phone');
    const user = await createVerifiedUser({ username, phone_number: '+923001234999' });
    expect((await api('/api/v1/accounts/login/', { body: { username, password: user.password } })).status).toBe(200);
    expect((await api('/api/v1/accounts/login/', { body: { phone_number: '+92 300 1234999', password: user.password } })).status).toBe(200);
  });

  it('the canonical register accepts password2 and answers the same top-level fields', async () => {
    const email = uniqueEmail('canon');
    const res = await api('/api/v1/auth/register', { body: { email, password: STRONG_PASSWORD, password2: STRONG_PASSWORD } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: res.body.user.id, user_id: res.body.user.id, email, is_verified: false });
    const row = await env.DB.prepare('SELECT email FROM users WHERE id = ?').bind(res.body.id).first<{ email: string }>();
    expect(row?.email).toBe(email);
  });
});
