import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { api, registration } from './helpers/api';
import { extractCode, waitForMail } from './helpers/mail';

const VERIFY_SUBJECT = /verify/i;

async function registerAndReadMail(overrides: Record<string, unknown> = {}) {
  const body = registration(overrides);
  const res = await api('/api/v1/auth/register', { body });
  expect(res.status).toBe(201);
  const mail = await waitForMail(body.email, { subject: VERIFY_SUBJECT });
  const code = extractCode(mail.text);
  const link = /https?:\/\/\S+verify-email\?token=[\w%-]+/.exec(mail.text)?.[0];
  expect(link, 'verification link in the text part').toBeTruthy();
  return { email: body.email, id: res.body.user.id as string, code, link: link!, token: new URL(link!).searchParams.get('token')! };
}

function freezeClockAt(ms: number) {
  setClock({ now: () => ms });
}

afterEach(() => setClock(null));

describe('email verification', () => {
  it('verifies by code, then answers already-verified to the same code and sends a welcome mail', async () => {
    const { email, code, id } = await registerAndReadMail();
    const res = await api('/api/v1/auth/verify-email', { body: { email, code } });
    expect(res.status).toBe(200);
    expect(res.body.message).toBe('Email verified.');
    expect(res.body.user).toMatchObject({ id, email_verified: true });
    const again = await api('/api/v1/auth/verify-email', { body: { email, code } });
    expect([again.status, again.body.message]).toEqual([200, 'Email already verified.']);
    await waitForMail(email, { subject: /welcome/i });
    const events = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE user_id = ? AND type = 'email_verified'").bind(id).first<{ n: number }>();
    expect(events!.n).toBe(1);
  });

  it('verifies by a clicked link (GET) and by the token posted', async () => {
    const first = await registerAndReadMail();
    expect(first.link.startsWith('http://localhost:8787/api/v1/auth/verify-email?token=')).toBe(true);
    const clicked = await api(`/api/v1/auth/verify-email?token=${encodeURIComponent(first.token)}`);
    expect([clicked.status, clicked.body.user.email_verified]).toEqual([200, true]);
    const second = await registerAndReadMail();
    const posted = await api('/api/v1/auth/verify-email', { body: { token: second.token } });
    expect([posted.status, posted.body.message]).toEqual([200, 'Email verified.']);
  });

  it('refuses a wrong, unknown or malformed code or token without telling addresses apart', async () => {
    const { email, code } = await registerAndReadMail();
    const wrong = code === '000000' ? '111111' : '000000';
    const bad = await api('/api/v1/auth/verify-email', { body: { email, code: wrong } });
    const unknown = await api('/api/v1/auth/verify-email', { body: { email: 'nobody@example.com', code } });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'otp_invalid']);
    expect([unknown.status, unknown.body.error.code, unknown.body.error.message]).toEqual([400, 'otp_invalid', bad.body.error.message]);
    const token = await api('/api/v1/auth/verify-email', { body: { token: 'not-a-token' } });
    expect([token.status, token.body.error.code]).toEqual([400, 'token_invalid']);
    const shape = await api('/api/v1/auth/verify-email', { body: { email, code: '12ab' } });
    expect([shape.status, shape.body.error.code]).toEqual([400, 'validation_failed']);
    const empty = await api('/api/v1/auth/verify-email', { body: {} });
    expect(Object.keys(empty.body.error.fields).sort()).toEqual(['code', 'email']);
  });

  it('kills the code after 5 wrong tries', async () => {
    const { email, code } = await registerAndReadMail();
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      expect((await api('/api/v1/auth/verify-email', { body: { email, code: wrong } })).status).toBe(400);
    }
    const right = await api('/api/v1/auth/verify-email', { body: { email, code } });
    expect([right.status, right.body.error.code]).toEqual([400, 'otp_invalid']);
  });

  it('lets exactly one of 10 parallel submissions of one code verify', async () => {
    const { email, code, id } = await registerAndReadMail();
    // settle: the audit row is written just after the answer.
    const results = await Promise.all(Array.from({ length: 10 }, () => api('/api/v1/auth/verify-email', { body: { email, code }, settle: true })));
    const verified = results.filter((r) => r.status === 200 && r.body.message === 'Email verified.');
    expect(verified).toHaveLength(1);
    for (const r of results) expect([200, 400]).toContain(r.status);
    const events = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE user_id = ? AND type = 'email_verified'").bind(id).first<{ n: number }>();
    expect(events!.n).toBe(1);
  });

  it('lets exactly one of 10 parallel link submissions verify', async () => {
    const { token } = await registerAndReadMail();
    const results = await Promise.all(Array.from({ length: 10 }, () => api('/api/v1/auth/verify-email', { body: { token } })));
    expect(results.filter((r) => r.status === 200 && r.body.message === 'Email verified.')).toHaveLength(1);
  });

  it('expires the code after 10 minutes and the link after 24 hours (injected clock)', async () => {
    const base = Date.now();
    freezeClockAt(base);
    const { email, code, token } = await registerAndReadMail();
    freezeClockAt(base + 10 * 60_000 + 1);
    const late = await api('/api/v1/auth/verify-email', { body: { email, code } });
    expect([late.status, late.body.error.code]).toEqual([400, 'otp_invalid']);
    freezeClockAt(base + 24 * 3600_000 + 1);
    const lateLink = await api('/api/v1/auth/verify-email', { body: { token } });
    expect([lateLink.status, lateLink.body.error.code]).toEqual([400, 'token_invalid']);
    freezeClockAt(base + 24 * 3600_000 - 1000);
    const inTime = await api('/api/v1/auth/verify-email', { body: { token } });
    expect(inTime.status).toBe(200);
  });
});

describe('an address that is verified already', () => {
  const verify = (body: Record<string, string>) => api('/api/v1/auth/verify-email', { body });

  it('answers the used code and link with 200 and a message only, never the user', async () => {
    const byCode = await registerAndReadMail();
    expect((await verify({ email: byCode.email, code: byCode.code })).body.user).toMatchObject({ id: byCode.id });
    const answers = [
      await verify({ email: byCode.email, code: byCode.code }),
      await verify({ token: byCode.token }),
      await api(`/api/v1/auth/verify-email?token=${encodeURIComponent(byCode.token)}`),
    ];
    for (const res of answers) expect([res.status, res.body]).toEqual([200, { message: 'Email already verified.' }]);

    const byLink = await registerAndReadMail();
    expect((await verify({ token: byLink.token })).body.user).toMatchObject({ id: byLink.id });
    for (const res of [await verify({ token: byLink.token }), await verify({ email: byLink.email, code: byLink.code })]) {
      expect([res.status, res.body]).toEqual([200, { message: 'Email already verified.' }]);
    }
  });

  it('counts wrong codes as ever: after 5, the used code answers as a dead code would', async () => {
    const { email, code } = await registerAndReadMail();
    expect((await verify({ email, code })).status).toBe(200);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const res = await verify({ email, code: wrong });
      expect([res.status, res.body.error.code]).toEqual([400, 'otp_invalid']);
    }
    const dead = await verify({ email, code });
    expect([dead.status, dead.body.error.code]).toEqual([400, 'otp_invalid']);
  });

  it('says nothing once the link is past its 24 hours (injected clock)', async () => {
    const base = Date.now();
    freezeClockAt(base);
    const { token } = await registerAndReadMail();
    expect((await verify({ token })).status).toBe(200);
    freezeClockAt(base + 24 * 3600_000 + 1);
    const late = await verify({ token });
    expect([late.status, late.body.error.code]).toEqual([400, 'token_invalid']);
  });
});
