import { afterEach, describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { api, registration } from './helpers/api';
import { extractCode, waitForMail } from './helpers/mail';
import { login } from './helpers/users';
import { createEnrolledUser, freezeClock } from './helpers/mfa';
import { setClock } from '../src/clock';
import { adminApi, signedIn } from './admin.fixtures';
import { ConsoleBrowser } from './console.fixtures';

afterEach(() => setClock(null));

/** Names that only ever belong to secrets or their hashes. */
const SECRET_NAMES = ['password_hash', 'passwordHash', 'code_hash', 'secret_ciphertext', 'fingerprint_hash', 'scrypt$', 'pbkdf2_sha256$', '"secret"', '"code"', '"token"'];

describe('no secret in any admin response', () => {
  it('shows no password hash, code, link token, TOTP secret, recovery code or refresh token in the API or the console', async () => {
    const admin = await signedIn('admin');
    // A target with everything secret an account can have at once.
    const clock = freezeClock();
    const target = await createEnrolledUser(clock, { first_name: 'Secretive' });
    setClock(null);
    const mfaToken = (await api('/api/v1/auth/login', { body: { email: target.email, password: target.password } })).body.mfa_token as string;
    await env.DB.prepare('UPDATE users SET email_verified = 0 WHERE id = ?').bind(target.id).run();
    await api('/api/v1/auth/resend-verification', { body: { email: target.email } });
    const verifyMail = await waitForMail(target.email, { subject: /Verify/ });
    const verifyCode = extractCode(verifyMail.text);
    const linkToken = /token=([A-Za-z0-9_-]+)/.exec(verifyMail.text)![1]!;
    await env.DB.prepare('UPDATE users SET email_verified = 1 WHERE id = ?').bind(target.id).run();
    await api('/api/v1/auth/password/forgot', { body: { email: target.email } });
    const resetCode = extractCode((await waitForMail(target.email, { subject: /password reset/ })).text);

    // A second target, signed in, so the lists also hold a live refresh token's session.
    const plainBody = registration();
    const plain = await api('/api/v1/auth/register', { body: plainBody });
    await env.DB.prepare('UPDATE users SET email_verified = 1 WHERE id = ?').bind(plain.body.user.id).run();
    const plainTokens = await login(plainBody);

    const rows = await env.DB.prepare(
      "SELECT password_hash AS v FROM users UNION ALL SELECT password_hash FROM password_history UNION ALL SELECT secret_ciphertext FROM mfa_totp UNION ALL SELECT code_hash FROM mfa_recovery_codes",
    ).all<{ v: string }>();
    const secrets = [
      ...rows.results.map((r) => r.v),
      target.secret,
      ...target.recoveryCodes,
      verifyCode,
      linkToken,
      resetCode,
      mfaToken,
      plainTokens.refresh,
      plainTokens.access,
      target.password,
    ];
    expect(secrets.length).toBeGreaterThan(10);

    const responses: [string, string][] = [];
    const keep = async (label: string, res: Promise<{ body: unknown; status: number }>) => {
      const r = await res;
      expect(r.status, label).toBeLessThan(300);
      responses.push([label, typeof r.body === 'string' ? r.body : JSON.stringify(r.body)]);
    };
    await keep('list', adminApi(admin, '/users?page_size=100'));
    await keep('search', adminApi(admin, `/users?search=secretive`));
    await keep('detail', adminApi(admin, `/users/${target.id}`));
    await keep('detail plain', adminApi(admin, `/users/${plain.body.user.id}`));
    await keep('verification', adminApi(admin, `/users/${target.id}/verification`));
    await keep('audit', adminApi(admin, '/audit-events?page_size=100'));
    await keep('mail', adminApi(admin, '/mail-failures'));
    await keep('patch', adminApi(admin, `/users/${target.id}`, { method: 'PATCH', body: { last_name: 'Kept' } }));
    await keep('lock', adminApi(admin, `/users/${target.id}/lock`, { body: {} }));
    await keep('unlock', adminApi(admin, `/users/${target.id}/unlock`, { method: 'POST' }));

    const browser = new ConsoleBrowser();
    await browser.signIn(admin.email, admin.password);
    for (const path of [
      '/admin/users?page_size=100',
      `/admin/users/${target.id}`,
      `/admin/users/${plain.body.user.id}`,
      `/admin/users/${target.id}/confirm?action=delete`,
      '/admin/audit?page_size=100',
      `/admin/audit?user=${target.id}`,
      '/admin/mail',
    ]) {
      const page = await browser.get(path);
      expect(page.status, path).toBe(200);
      responses.push([path, page.html]);
    }

    for (const [label, text] of responses) {
      for (const secret of secrets) expect(text.includes(secret), `${label} contains a secret`).toBe(false);
      for (const name of SECRET_NAMES) expect(text.includes(name), `${label} contains ${name}`).toBe(false);
    }
    // The detail does say that a verification is pending: the state, not the secret.
    expect(responses.find(([l]) => l === 'verification')![1]).toContain('"pending":true');
  });
});
