import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { api, registration, uniqueEmail } from './helpers/api';
import { createVerifiedUser, login } from './helpers/users';
import { readMailbox } from './helpers/mail';
import { brokenQueue, callWorker, codeFromMail, expectSameAnswer, SIGN_IN_MAIL, wrongCode } from './otp.helpers';

afterEach(() => setClock(null));

const requestCode = (email: string) => api('/api/v1/auth/otp/request', { body: { email } });
const verifyCode = (email: string, code: string, extra: Record<string, unknown> = {}) =>
  api('/api/v1/auth/otp/verify', { body: { email, code, ...extra } });

async function mailedCode(email: string) {
  expect((await requestCode(email)).status).toBe(200);
  return codeFromMail(email, SIGN_IN_MAIL);
}

describe('POST /api/v1/auth/otp/request', () => {
  it('answers {message, expires_in: 600} and mails a 6-digit code', async () => {
    const user = await createVerifiedUser();
    const res = await requestCode(user.email);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toEqual(['message', 'expires_in']);
    expect(res.body.expires_in).toBe(600);
    const { code, mail } = await codeFromMail(user.email, SIGN_IN_MAIL);
    expect(code).toMatch(/^\d{6}$/);
    expect(mail.text).toMatch(/10 minutes/);
    const kept = await env.KV.get(`otp:login:${user.id}`);
    expect(kept).not.toContain(code); // only a hash is stored
    const event = await env.DB.prepare("SELECT metadata FROM audit_events WHERE user_id = ? AND type = 'otp_requested'").bind(user.id).first();
    expect(event).toEqual({ metadata: JSON.stringify({ purpose: 'login' }) });
  });

  it('answers identically for verified, unknown, unverified and disabled addresses, and when mail cannot be queued', async () => {
    const verified = await createVerifiedUser();
    const unverified = registration();
    expect((await api('/api/v1/auth/register', { body: unverified })).status).toBe(201);
    const disabled = await createVerifiedUser();
    await env.DB.prepare('UPDATE users SET is_active = 0 WHERE id = ?').bind(disabled.id).run();
    const mailless = await createVerifiedUser();

    const reference = await callWorker('/api/v1/auth/otp/request', { body: { email: verified.email } });
    const others = {
      unknown: await callWorker('/api/v1/auth/otp/request', { body: { email: uniqueEmail('ghost') } }),
      unverified: await callWorker('/api/v1/auth/otp/request', { body: { email: unverified.email } }),
      disabled: await callWorker('/api/v1/auth/otp/request', { body: { email: disabled.email } }),
      'mail not queued': await callWorker('/api/v1/auth/otp/request', { body: { email: mailless.email }, env: { MAIL_QUEUE: brokenQueue } }),
    };
    expect(reference.status).toBe(200);
    for (const [label, res] of Object.entries(others)) expectSameAnswer(res, reference, label);

    // The deferred work has run (callWorker waits for it): only the verified account got a code.
    const unverifiedId = (await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(unverified.email).first<{ id: string }>())!.id;
    expect(await env.KV.get(`otp:login:${verified.id}`)).not.toBeNull();
    expect(await env.KV.get(`otp:login:${unverifiedId}`)).toBeNull();
    expect(await env.KV.get(`otp:login:${disabled.id}`)).toBeNull();
    await codeFromMail(verified.email, SIGN_IN_MAIL);
    for (const email of [unverified.email, disabled.email, mailless.email]) {
      expect((await readMailbox(email)).filter((m) => SIGN_IN_MAIL.test(m.subject))).toEqual([]);
    }
  });

  it('validates the address', async () => {
    const res = await api('/api/v1/auth/otp/request', { body: { email: 'not-an-address' } });
    expect([res.status, res.body.error.code, Object.keys(res.body.error.fields)]).toEqual([400, 'validation_failed', ['email']]);
  });
});

describe('POST /api/v1/auth/otp/verify', () => {
  it('signs in exactly as a password login does: same token response, a session, an audit trail', async () => {
    const user = await createVerifiedUser();
    const byPassword = await login(user);
    const { code } = await mailedCode(user.email);
    const res = await verifyCode(user.email, code, { device: { fingerprint_hash: 'otp-device', device_type: 'phone', browser: 'Safari', os: 'iOS' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(Object.keys(res.body)).toEqual(Object.keys(byPassword));
    expect(Object.keys(res.body.user)).toEqual(Object.keys(byPassword.user));
    expect([res.body.token_type, res.body.expires_in, res.body.user.id]).toEqual(['Bearer', 900, user.id]);
    expect(res.body.user.last_login).not.toBeNull();

    const me = await api('/api/v1/auth/me', { token: res.body.access });
    expect(me.body.id).toBe(user.id);
    const sessions = await api('/api/v1/auth/sessions', { token: res.body.access });
    expect(sessions.body.results).toHaveLength(2);
    expect(sessions.body.results.find((s: { current: boolean }) => s.current).device).toBe('phone / Safari / iOS');
    expect((await api('/api/v1/auth/refresh', { body: { refresh: res.body.refresh } })).status).toBe(200);

    const events = await env.DB.prepare("SELECT type, metadata FROM audit_events WHERE user_id = ? AND type IN ('login_succeeded', 'otp_login') ORDER BY created_at")
      .bind(user.id)
      .all<{ type: string; metadata: string }>();
    expect(events.results.map((e) => [e.type, JSON.parse(e.metadata).method])).toEqual(
      expect.arrayContaining([
        ['login_succeeded', 'password'],
        ['login_succeeded', 'email_code'],
        ['otp_login', undefined],
      ]),
    );
  });

  it('a new request invalidates the previous code', async () => {
    const user = await createVerifiedUser();
    const first = await mailedCode(user.email);
    expect((await requestCode(user.email)).status).toBe(200);
    const second = await codeFromMail(user.email, SIGN_IN_MAIL, first.mail);
    const stale = await verifyCode(user.email, first.code);
    expect([stale.status, stale.body.error.code]).toEqual([400, 'otp_invalid']);
    expect((await verifyCode(user.email, second.code)).status).toBe(200);
  });

  it('codes live 10 minutes (injected clock)', async () => {
    let now = Date.now();
    setClock({ now: () => now });
    const [early, late] = [await createVerifiedUser(), await createVerifiedUser()];
    const earlyCode = await mailedCode(early.email);
    const lateCode = await mailedCode(late.email);
    now += 599_000;
    expect((await verifyCode(early.email, earlyCode.code)).status).toBe(200);
    now += 1_000;
    const expired = await verifyCode(late.email, lateCode.code);
    expect([expired.status, expired.body.error.code]).toEqual([400, 'otp_invalid']);
  });

  it('5 wrong tries kill the code; 4 do not', async () => {
    const [dead, alive] = [await createVerifiedUser(), await createVerifiedUser()];
    const deadCode = await mailedCode(dead.email);
    const aliveCode = await mailedCode(alive.email);
    for (let i = 0; i < 5; i++) {
      const res = await verifyCode(dead.email, wrongCode(deadCode.code));
      expect([res.status, res.body.error.code]).toEqual([400, 'otp_invalid']);
    }
    expect((await verifyCode(dead.email, deadCode.code)).body.error.code).toBe('otp_invalid');
    for (let i = 0; i < 4; i++) await verifyCode(alive.email, wrongCode(aliveCode.code));
    expect((await verifyCode(alive.email, aliveCode.code)).status).toBe(200);
    const failed = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE user_id = ? AND type = 'otp_failed'").bind(dead.id).first<{ n: number }>();
    expect(failed!.n).toBe(6);
  });

  it('is single use under concurrency: of 10 parallel right answers exactly one signs in', async () => {
    const user = await createVerifiedUser();
    const { code } = await mailedCode(user.email);
    const results = await Promise.all(Array.from({ length: 10 }, () => verifyCode(user.email, code)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 400 && r.body.error.code === 'otp_invalid')).toHaveLength(9);
    expect((await verifyCode(user.email, code)).body.error.code).toBe('otp_invalid');
    const signIns = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE user_id = ? AND type = 'login_succeeded'").bind(user.id).first<{ n: number }>();
    expect(signIns!.n).toBe(1);
  });

  it('answers otp_invalid for an address without an account, as for a wrong code', async () => {
    const user = await createVerifiedUser();
    const { code } = await mailedCode(user.email);
    const unknown = await verifyCode(uniqueEmail('ghost'), code);
    const wrong = await verifyCode(user.email, wrongCode(code));
    expect([unknown.status, unknown.body.error.code, unknown.body.error.message]).toEqual([wrong.status, wrong.body.error.code, wrong.body.error.message]);
    expect([wrong.status, wrong.body.error.code]).toEqual([400, 'otp_invalid']);
  });

  it('a right code for an account disabled since it was sent answers account_disabled, and signs nobody in', async () => {
    const user = await createVerifiedUser();
    const { code } = await mailedCode(user.email);
    await env.DB.prepare('UPDATE users SET is_active = 0 WHERE id = ?').bind(user.id).run();
    const res = await verifyCode(user.email, code);
    expect([res.status, res.body.error.code]).toEqual([403, 'account_disabled']);
    expect(res.body.access).toBeUndefined();
  });

  it('validates the code shape', async () => {
    const res = await verifyCode(uniqueEmail(), '12345');
    expect([res.status, res.body.error.code, Object.keys(res.body.error.fields)]).toEqual([400, 'validation_failed', ['code']]);
  });
});
