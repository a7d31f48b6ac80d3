import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { api } from './helpers/api';
import { extractCode, waitForMail } from './helpers/mail';
import { createEnrolledUser, freezeClock, oathtool, passwordStep, verifyMfa } from './helpers/mfa';

afterEach(() => setClock(null));

const TOKEN_KEYS = ['access', 'expires_in', 'refresh', 'token_type', 'user'];

async function auditRows(userId: string, type: string) {
  const { results } = await env.DB.prepare('SELECT metadata FROM audit_events WHERE user_id = ? AND type = ? ORDER BY created_at')
    .bind(userId, type)
    .all<{ metadata: string }>();
  return results.map((r) => JSON.parse(r.metadata) as Record<string, unknown>);
}

const usedRecoveryCodes = async (userId: string) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM mfa_recovery_codes WHERE user_id = ? AND used_at IS NOT NULL').bind(userId).first<{ n: number }>())!.n;

describe('password login of an enrolled user', () => {
  it('answers 200 {mfa_required, mfa_token} only: no tokens, no session, no sign-in recorded', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    const res = await api('/api/v1/auth/login', { body: { email: user.email, password: user.password } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['mfa_required', 'mfa_token']);
    expect(res.body.mfa_required).toBe(true);
    expect(res.body.mfa_token).toMatch(new RegExp(`^mfa_${user.id}_[A-Za-z0-9_-]{43}$`));
    // Only the enrolment login before MFA was on.
    expect(await auditRows(user.id, 'login_succeeded')).toHaveLength(1);
    const sessions = await api('/api/v1/auth/sessions', { token: user.access });
    expect(sessions.body.results).toHaveLength(1);
  });

  it('the mfa_token is useless as a bearer or refresh token', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    const mfaToken = await passwordStep(user);
    expect((await api('/api/v1/auth/me', { token: mfaToken })).status).toBe(401);
    expect((await api('/api/v1/auth/sessions', { token: mfaToken })).status).toBe(401);
    expect((await api('/api/v1/auth/token/verify', { body: { token: mfaToken } })).status).toBe(401);
    expect((await api('/api/v1/auth/refresh', { body: { refresh: mfaToken } })).status).toBe(401);
    // Still good for its one purpose afterwards.
    expect((await verifyMfa(mfaToken, await oathtool(user.secret, clock.now()))).status).toBe(200);
  });

  it('POST /auth/mfa/verify with oathtool’s code completes the sign-in: tokens, a session with the first step’s device, method mfa', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    const device = { fingerprint_hash: 'fp-mfa-login', device_type: 'phone', browser: 'Firefox', os: 'Android' };
    const mfaToken = await passwordStep(user, { device });
    const res = await verifyMfa(mfaToken, await oathtool(user.secret, clock.now()));
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(TOKEN_KEYS);
    expect(res.body.user).toMatchObject({ id: user.id, mfa_enabled: true });
    expect((await api('/api/v1/auth/me', { token: res.body.access })).body.id).toBe(user.id);
    const sessions = await api('/api/v1/auth/sessions', { token: res.body.access });
    expect(sessions.body.results.find((s: { current: boolean }) => s.current).device).toBe('phone / Firefox / Android');
    expect((await auditRows(user.id, 'login_succeeded')).at(-1)).toMatchObject({ method: 'mfa' });
    expect((await api('/api/v1/auth/refresh', { body: { refresh: res.body.refresh } })).status).toBe(200);
  });

  it('an mfa_token works once', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    const mfaToken = await passwordStep(user);
    expect((await verifyMfa(mfaToken, await oathtool(user.secret, clock.now()))).status).toBe(200);
    clock.nextStep();
    const again = await verifyMfa(mfaToken, await oathtool(user.secret, clock.now()));
    expect([again.status, again.body.error.code]).toEqual([400, 'token_invalid']);
  });

  it('an mfa_token lives 5 minutes', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    const early = await passwordStep(user);
    const late = await passwordStep(user);
    clock.advance(5 * 60_000 - 1_000);
    expect((await verifyMfa(early, await oathtool(user.secret, clock.now()))).status).toBe(200);
    clock.advance(1_000);
    clock.nextStep();
    const expired = await verifyMfa(late, await oathtool(user.secret, clock.now()));
    expect([expired.status, expired.body.error.code]).toEqual([400, 'token_invalid']);
  });

  it('refuses malformed and forged tokens without counting anything', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    const real = await passwordStep(user);
    const forged = real.slice(0, -8) + 'AAAAAAAA';
    for (const token of ['nope', `mfa_${user.id}_short`, `mfa_${crypto.randomUUID()}_${real.slice(-43)}`, forged]) {
      for (let i = 0; i < 3; i++) {
        const res = await verifyMfa(token, '123456');
        expect([res.status, res.body.error.code], token).toEqual([400, 'token_invalid']);
      }
    }
    // Twelve refusals above, and the account is not locked: the real token still works.
    expect((await verifyMfa(real, await oathtool(user.secret, clock.now()))).status).toBe(200);
    expect((await verifyMfa(real.replace('mfa_', ''), '123456')).body.error.code).toBe('token_invalid');
    expect((await verifyMfa(user.access, '123456')).status).toBe(400);
    expect((await api('/api/v1/auth/mfa/verify', { body: { mfa_token: real } })).body.error.code).toBe('validation_failed');
  });
});

describe('TOTP window and replay', () => {
  it('accepts oathtool’s codes of the neighbouring steps and refuses two steps off', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    clock.advance(5 * 30_000);
    const now = clock.now();
    // Tried oldest first: a spent step also spends every earlier one.
    for (const [offset, status] of [[-2, 400], [-1, 200], [0, 200], [2, 400], [1, 200]] as const) {
      const res = await verifyMfa(await passwordStep(user), await oathtool(user.secret, now + offset * 30_000));
      expect(res.status, `step ${offset}`).toBe(status);
    }
  });

  it('a code that signed in once is refused on the next token, until the next step', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    const code = await oathtool(user.secret, clock.now());
    expect((await verifyMfa(await passwordStep(user), code)).status).toBe(200);
    const replay = await verifyMfa(await passwordStep(user), code);
    expect([replay.status, replay.body.error.code]).toEqual([400, 'otp_invalid']);
    clock.nextStep();
    expect((await verifyMfa(await passwordStep(user), await oathtool(user.secret, clock.now()))).status).toBe(200);
  });

  it('the same code on five tokens at once signs in exactly once', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    const tokens: string[] = [];
    for (let i = 0; i < 5; i++) tokens.push(await passwordStep(user));
    const code = await oathtool(user.secret, clock.now());
    const results = await Promise.all(tokens.map((t) => verifyMfa(t, code)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400, 400, 400]);
    expect(results.filter((r) => r.status === 400).every((r) => r.body.error.code === 'otp_invalid')).toBe(true);
  });

  it('the code that confirmed enrolment cannot sign in', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    clock.advance(-30_000); // back onto the step the confirm spent
    const res = await verifyMfa(await passwordStep(user), await oathtool(user.secret, clock.now()));
    expect([res.status, res.body.error.code]).toEqual([400, 'otp_invalid']);
  });
});

describe('recovery codes at sign-in', () => {
  it('each works once, typed any way; use is audited and mailed with the count left', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    const [first, second] = user.recoveryCodes as [string, string];
    expect((await verifyMfa(await passwordStep(user), first)).status).toBe(200);
    const reuse = await verifyMfa(await passwordStep(user), first);
    expect([reuse.status, reuse.body.error.code]).toEqual([400, 'otp_invalid']);
    expect((await verifyMfa(await passwordStep(user), ` ${second.toUpperCase().replace(/-/g, '')} `)).status).toBe(200);
    expect(await usedRecoveryCodes(user.id)).toBe(2);
    expect((await auditRows(user.id, 'mfa_recovery_used')).map((m) => m.remaining)).toEqual([9, 8]);
    const mail = await waitForMail(user.email, { predicate: (m) => m.text.includes('recovery code was used') && m.text.includes('8 unused codes remain') });
    expect(mail.subject).toMatch(/Two-factor authentication changed/);
  });

  it('one code on three tokens at once signs in exactly once', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    const tokens = await Promise.all([passwordStep(user), passwordStep(user), passwordStep(user)]);
    const results = await Promise.all(tokens.map((t) => verifyMfa(t, user.recoveryCodes[4]!)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400]);
    expect(await usedRecoveryCodes(user.id)).toBe(1);
  });

  it('two codes on one token at once: one sign-in, and the loser’s code is not spent', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    const token = await passwordStep(user);
    const results = await Promise.all([verifyMfa(token, user.recoveryCodes[5]!), verifyMfa(token, user.recoveryCodes[6]!)]);
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const loser = results.find((r) => r.status !== 200)!;
    expect([[429, 'rate_limited'], [400, 'token_invalid']]).toContainEqual([loser.status, loser.body.error.code]);
    expect(await usedRecoveryCodes(user.id)).toBe(1);
  });
});

describe('no way in without the second factor', () => {
  it('emailed-code login asks for it, and mfa/verify then completes', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    expect((await api('/api/v1/auth/otp/request', { body: { email: user.email } })).status).toBe(200);
    const code = extractCode((await waitForMail(user.email, { subject: /sign-in code/i })).text);
    const res = await api('/api/v1/auth/otp/verify', { body: { email: user.email, code } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['mfa_required', 'mfa_token']);
    const done = await verifyMfa(res.body.mfa_token, await oathtool(user.secret, clock.now()));
    expect([done.status, typeof done.body.access]).toEqual([200, 'string']);
  });

  it('password reset gives no tokens and leaves MFA on for the next login', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    expect((await api('/api/v1/auth/password/forgot', { body: { email: user.email } })).status).toBe(200);
    const code = extractCode((await waitForMail(user.email, { subject: /reset/i })).text);
    const newPassword = 'Quartz-Heron-Lantern-58';
    const reset = await api('/api/v1/auth/password/reset', { body: { email: user.email, code, new_password: newPassword } });
    expect(reset.status).toBe(200);
    for (const key of ['access', 'refresh', 'mfa_token']) expect(reset.body).not.toHaveProperty(key);
    const mfaToken = await passwordStep({ email: user.email, password: newPassword });
    expect((await verifyMfa(mfaToken, await oathtool(user.secret, clock.now()))).status).toBe(200);
  });

  it('an account disabled between the steps gets no tokens', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    const mfaToken = await passwordStep(user);
    await env.DB.prepare('UPDATE users SET is_active = 0 WHERE id = ?').bind(user.id).run();
    const res = await verifyMfa(mfaToken, await oathtool(user.secret, clock.now()));
    expect([res.status, res.body.error.code]).toEqual([403, 'account_disabled']);
  });

  it('MFA turned off between the steps voids the token; a new login then needs no second factor', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    const mfaToken = await passwordStep(user);
    const off = await api('/api/v1/auth/mfa/totp/disable', { token: user.access, body: { password: user.password, code: user.recoveryCodes[0] } });
    expect(off.status).toBe(200);
    const res = await verifyMfa(mfaToken, await oathtool(user.secret, clock.now()));
    expect([res.status, res.body.error.code]).toEqual([400, 'token_invalid']);
    const direct = await api('/api/v1/auth/login', { body: { email: user.email, password: user.password } });
    expect(Object.keys(direct.body).sort()).toEqual(TOKEN_KEYS);
  });
});
