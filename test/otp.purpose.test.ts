import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { attemptCode, issueCode } from '../src/codes/one-time-codes';
import { attemptVerificationCode, issueVerification } from '../src/codes/verification';
import { api, registration } from './helpers/api';
import { codeFromMail, RESET_MAIL, SIGN_IN_MAIL, VERIFY_MAIL } from './otp.helpers';

describe('codes are bound to their purpose', () => {
  it('a login code does not reset a password or verify an email, and the other way round (module)', async () => {
    const userId = crypto.randomUUID();
    const owner = { userId, email: `${userId}@example.com` };
    const now = Date.now();
    let login, reset, verification;
    // Reissue until the three differ (six digits coincide 1 in a million): equal codes prove nothing.
    do {
      login = await issueCode(env, 'login', userId, now);
      reset = await issueCode(env, 'reset', userId, now);
      verification = await issueVerification(env, userId, now);
    } while (new Set([login.code, reset.code, verification.code]).size < 3);
    // Each code is tried where it does not belong, then where it does: the wrong places
    // neither accept it nor spend it.
    expect(await attemptCode(env, 'reset', owner, login.code, now)).not.toBe('ok');
    expect(await attemptVerificationCode(env, owner, login.code, now)).not.toBe('ok');
    expect(await attemptCode(env, 'login', owner, reset.code, now)).not.toBe('ok');
    expect(await attemptVerificationCode(env, owner, reset.code, now)).not.toBe('ok');
    expect(await attemptCode(env, 'login', owner, verification.code, now)).not.toBe('ok');
    expect(await attemptCode(env, 'reset', owner, verification.code, now)).not.toBe('ok');
    expect(await attemptCode(env, 'login', owner, login.code, now)).toBe('ok');
    expect(await attemptCode(env, 'reset', owner, reset.code, now)).toBe('ok');
    expect(await attemptVerificationCode(env, owner, verification.code, now)).toBe('ok');
  });

  it('issuing a code for one purpose leaves the other purposes’ codes alive', async () => {
    const userId = crypto.randomUUID();
    const owner = { userId, email: `${userId}@example.com` };
    const now = Date.now();
    const login = await issueCode(env, 'login', userId, now);
    await issueCode(env, 'reset', userId, now);
    await issueVerification(env, userId, now);
    expect(await attemptCode(env, 'login', owner, login.code, now)).toBe('ok');
  });

  it('over HTTP: verification and reset codes do not sign in; a login code neither resets nor verifies', async () => {
    const body = registration();
    expect((await api('/api/v1/auth/register', { body })).status).toBe(201);
    const verification = await codeFromMail(body.email, VERIFY_MAIL);
    await env.DB.prepare('UPDATE users SET email_verified = 1 WHERE email = ?').bind(body.email).run();
    expect((await api('/api/v1/auth/otp/request', { body: { email: body.email } })).status).toBe(200);
    expect((await api('/api/v1/auth/password/forgot', { body: { email: body.email } })).status).toBe(200);
    const login = await codeFromMail(body.email, SIGN_IN_MAIL);
    const reset = await codeFromMail(body.email, RESET_MAIL);

    const otpVerify = (code: string) => api('/api/v1/auth/otp/verify', { body: { email: body.email, code } });
    const passwordReset = (code: string) =>
      api('/api/v1/auth/password/reset', { body: { email: body.email, code, new_password: 'Quiet-Harbor-Lantern-47' } });
    // Six digits can coincide by chance (1 in a million); only distinct codes prove anything.
    if (verification.code !== login.code) expect((await otpVerify(verification.code)).body.error.code).toBe('otp_invalid');
    if (reset.code !== login.code) {
      expect((await otpVerify(reset.code)).body.error.code).toBe('otp_invalid');
      expect((await passwordReset(login.code)).body.error.code).toBe('otp_invalid');
    }
    if (login.code !== verification.code) {
      const asVerification = await api('/api/v1/auth/verify-email', { body: { email: body.email, code: login.code } });
      expect([asVerification.status, asVerification.body.error.code]).toEqual([400, 'otp_invalid']);
    }
    // Each still works for its own purpose (two wrong tries are below the cap).
    expect((await otpVerify(login.code)).status).toBe(200);
    expect((await passwordReset(reset.code)).status).toBe(200);
  });
});
