import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { api, registration, uniqueEmail } from './helpers/api';
import { createVerifiedUser, login, type TestUser } from './helpers/users';
import { readMailbox, waitForMail } from './helpers/mail';
import { brokenQueue, callWorker, CHANGED_MAIL, codeFromMail, expectSameAnswer, RESET_MAIL, wrongCode } from './otp.helpers';

afterEach(() => setClock(null));

const NEW_PASSWORD = 'Quiet-Harbor-Lantern-47';
const forgot = (email: string) => api('/api/v1/auth/password/forgot', { body: { email } });
const reset = (email: string, code: string, newPassword = NEW_PASSWORD) =>
  api('/api/v1/auth/password/reset', { body: { email, code, new_password: newPassword } });
const passwordLogin = (email: string, password: string) => api('/api/v1/auth/login', { body: { email, password } });

async function resetCode(email: string) {
  expect((await forgot(email)).status).toBe(200);
  return codeFromMail(email, RESET_MAIL);
}

const countRows = async (sql: string, ...binds: unknown[]) =>
  (await env.DB.prepare(sql).bind(...binds).first<{ n: number }>())!.n;

describe('POST /api/v1/auth/password/forgot', () => {
  it('answers a generic 200 and mails a 6-digit code valid 10 minutes', async () => {
    const user = await createVerifiedUser();
    const res = await forgot(user.email);
    expect([res.status, Object.keys(res.body)]).toEqual([200, ['message']]);
    const { code, mail } = await codeFromMail(user.email, RESET_MAIL);
    expect(code).toMatch(/^\d{6}$/);
    expect(mail.text).toMatch(/10 minutes/);
    expect(await countRows("SELECT count(*) AS n FROM audit_events WHERE user_id = ? AND type = 'password_reset_requested'", user.id)).toBe(1);
  });

  it('answers identically for known, unknown, unverified and disabled addresses, and when mail cannot be queued', async () => {
    const known = await createVerifiedUser();
    const unverified = registration();
    expect((await api('/api/v1/auth/register', { body: unverified })).status).toBe(201);
    const disabled = await createVerifiedUser();
    await env.DB.prepare('UPDATE users SET is_active = 0 WHERE id = ?').bind(disabled.id).run();
    const mailless = await createVerifiedUser();

    const call = (email: string, extra = {}) => callWorker('/api/v1/auth/password/forgot', { body: { email }, ...extra });
    const reference = await call(known.email);
    expect(reference.status).toBe(200);
    expectSameAnswer(await call(uniqueEmail('ghost')), reference, 'unknown');
    expectSameAnswer(await call(unverified.email), reference, 'unverified');
    expectSameAnswer(await call(disabled.email), reference, 'disabled');
    expectSameAnswer(await call(mailless.email, { env: { MAIL_QUEUE: brokenQueue } }), reference, 'mail not queued');

    // Active accounts get a code, verified or not (the code proves the mailbox); disabled ones do not.
    const unverifiedId = (await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(unverified.email).first<{ id: string }>())!.id;
    expect(await env.KV.get(`otp:reset:${known.id}`)).not.toBeNull();
    expect(await env.KV.get(`otp:reset:${unverifiedId}`)).not.toBeNull();
    expect(await env.KV.get(`otp:reset:${disabled.id}`)).toBeNull();
    await codeFromMail(known.email, RESET_MAIL);
    expect((await readMailbox(mailless.email)).filter((m) => RESET_MAIL.test(m.subject))).toEqual([]);
  });
});

describe('POST /api/v1/auth/password/reset', () => {
  it('sets the new password, signs nobody in, records it and mails a notice', async () => {
    const now = Date.now();
    setClock({ now: () => now });
    const user = await createVerifiedUser();
    const { code } = await resetCode(user.email);
    const res = await reset(user.email, code);
    expect([res.status, Object.keys(res.body)]).toEqual([200, ['message']]);
    expect(res.body.access).toBeUndefined();

    expect((await passwordLogin(user.email, user.password)).status).toBe(401);
    expect((await passwordLogin(user.email, NEW_PASSWORD)).status).toBe(200);
    const row = await env.DB.prepare('SELECT password_changed_at, password_hash FROM users WHERE id = ?').bind(user.id).first<{ password_changed_at: number; password_hash: string }>();
    expect(row!.password_changed_at).toBe(now);
    expect(row!.password_hash).not.toContain(NEW_PASSWORD);
    expect(await countRows('SELECT count(*) AS n FROM password_history WHERE user_id = ?', user.id)).toBe(2);
    expect(await countRows("SELECT count(*) AS n FROM audit_events WHERE user_id = ? AND type = 'password_reset' AND severity = 'medium'", user.id)).toBe(1);
    const notice = await waitForMail(user.email, { subject: CHANGED_MAIL });
    expect(notice.text).toContain(new Date(now).toISOString());
  });

  it('revokes every session of the user', async () => {
    const user = await createVerifiedUser();
    const [phone, laptop] = [await login(user), await login(user)];
    const { code } = await resetCode(user.email);
    expect((await reset(user.email, code)).status).toBe(200);
    for (const session of [phone, laptop]) {
      expect((await api('/api/v1/auth/refresh', { body: { refresh: session.refresh } })).status).toBe(401);
    }
    // The access token is still within its 15 minutes, but its session is gone: refused.
    const sessions = await api('/api/v1/auth/sessions', { token: phone.access });
    expect([sessions.status, sessions.body.error.code]).toEqual([401, 'unauthorized']);
    expect((await api('/api/v1/auth/me', { method: 'PATCH', token: laptop.access, body: { first_name: 'X' } })).status).toBe(401);
  });

  it('works while the account is locked out, and clears the lock', async () => {
    const user = await createVerifiedUser();
    for (let i = 0; i < 5; i++) await passwordLogin(user.email, 'Definitely-Wrong-77');
    expect((await passwordLogin(user.email, user.password)).status).toBe(423);
    const { code } = await resetCode(user.email);
    expect((await reset(user.email, code)).status).toBe(200);
    expect((await passwordLogin(user.email, NEW_PASSWORD)).status).toBe(200);
    expect(await countRows("SELECT count(*) AS n FROM audit_events WHERE user_id = ? AND type = 'account_unlocked'", user.id)).toBe(1);
  });

  it('applies the password policy without spending the code', async () => {
    const user = await createVerifiedUser();
    const { code } = await resetCode(user.email);
    const common = await reset(user.email, code, 'password123');
    expect([common.status, common.body.error.code, common.body.error.fields.new_password]).toEqual([400, 'validation_failed', ['This password is too common.']]);
    const similar = await reset(user.email, code, user.email.toUpperCase());
    expect(similar.body.error.fields.new_password).toContain('The password is too similar to the email.');
    expect((await reset(user.email, code)).status).toBe(200);
  });

  it('refuses the current password and recent ones as password_reused (history)', async () => {
    const user = await createVerifiedUser();
    const session = await login(user);
    const changed = await api('/api/v1/auth/password/change', {
      token: session.access,
      body: { current_password: user.password, new_password: 'Amber-Falcon-Meadow-31' },
    });
    expect(changed.status).toBe(200);
    const { code } = await resetCode(user.email);
    for (const recent of ['Amber-Falcon-Meadow-31', user.password]) {
      const res = await reset(user.email, code, recent);
      expect([res.status, res.body.error.code]).toEqual([400, 'password_reused']);
    }
    expect((await reset(user.email, code)).status).toBe(200);
  });

  it('code rules: 10 minutes, 5 wrong tries, a new request kills the old code, single use', async () => {
    let now = Date.now();
    setClock({ now: () => now });
    const [expiring, guessed, reissued, used] = [await createVerifiedUser(), await createVerifiedUser(), await createVerifiedUser(), await createVerifiedUser()];

    const sentAt = now;
    const expiringCode = await resetCode(expiring.email);

    const guessedCode = await resetCode(guessed.email);
    for (let i = 0; i < 5; i++) expect((await reset(guessed.email, wrongCode(guessedCode.code))).body.error.code).toBe('otp_invalid');
    expect((await reset(guessed.email, guessedCode.code)).body.error.code).toBe('otp_invalid');

    const first = await resetCode(reissued.email);
    now += 1_000; // the mailbox tells mails apart by their time
    expect((await forgot(reissued.email)).status).toBe(200);
    const second = await codeFromMail(reissued.email, RESET_MAIL, first.mail);
    expect((await reset(reissued.email, first.code)).body.error.code).toBe('otp_invalid');
    expect((await reset(reissued.email, second.code)).status).toBe(200);

    const usedCode = await resetCode(used.email);
    expect((await reset(used.email, usedCode.code)).status).toBe(200);
    expect((await reset(used.email, usedCode.code, 'Other-Copper-Willow-58')).body.error.code).toBe('otp_invalid');

    now = sentAt + 600_000;
    expect((await reset(expiring.email, expiringCode.code)).body.error.code).toBe('otp_invalid');
    for (const user of [expiring, guessed]) expect((await passwordLogin(user.email, user.password)).status).toBe(200);
  });

  it('is single use under concurrency: of 10 parallel resets with the right code exactly one succeeds', async () => {
    const user = await createVerifiedUser();
    const { code } = await resetCode(user.email);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => reset(user.email, code, `${NEW_PASSWORD}-${i}`)));
    const winners = results.map((r, i) => [r.status, i] as const).filter(([status]) => status === 200);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.body?.error?.code === 'otp_invalid')).toHaveLength(9);
    expect((await passwordLogin(user.email, `${NEW_PASSWORD}-${winners[0]![1]}`)).status).toBe(200);
    expect(await countRows("SELECT count(*) AS n FROM audit_events WHERE user_id = ? AND type = 'password_reset'", user.id)).toBe(1);
  });

  it('answers otp_invalid for an address without an account, as for a wrong code', async () => {
    const user = await createVerifiedUser();
    const { code } = await resetCode(user.email);
    const unknown = await reset(uniqueEmail('ghost'), code);
    const wrong = await reset(user.email, wrongCode(code));
    expect([unknown.status, unknown.body.error]).toEqual([wrong.status, { ...wrong.body.error, request_id: unknown.body.error.request_id }]);
    expect([wrong.status, wrong.body.error.code]).toEqual([400, 'otp_invalid']);
  });

  it('says nothing about the new password before the code is right', async () => {
    const user: TestUser = await createVerifiedUser();
    const { code } = await resetCode(user.email);
    const res = await reset(user.email, wrongCode(code), 'password123');
    expect([res.status, res.body.error.code]).toEqual([400, 'otp_invalid']);
  });
});
