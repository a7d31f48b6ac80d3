// Routes whose IP limit is decided while their first read runs (ratelimit/limit.ts
// limitByIpAlongside): only that read may happen before the limit has spoken, so a refused
// request must change nothing, however right its password or code.
import { describe, expect, it } from 'vitest';
import { api, STRONG_PASSWORD, uniqueEmail } from './helpers/api';
import { createVerifiedUser, login } from './helpers/users';
import { callWorker, codeFromMail, expectLimited, SIGN_IN_MAIL, uniqueIp, wrongCode } from './otp.helpers';

const ONE_PER_MINUTE = { LIMIT_ANONYMOUS: '1/60', LIMIT_OTP_VERIFY: '1/60' };

/** Spends a fresh IP's only request (under ONE_PER_MINUTE) and returns the IP. */
async function spentIp(): Promise<string> {
  const ip = uniqueIp();
  expect((await callWorker('/api/v1/auth/token/verify', { body: { token: 'x' }, ip, env: ONE_PER_MINUTE })).status).toBe(401);
  return ip;
}

describe('a limit decided alongside the first read', () => {
  it('a refused login with the right password opens no session', async () => {
    const user = await createVerifiedUser();
    const ip = await spentIp();
    expectLimited(await callWorker('/api/v1/auth/login', { body: { email: user.email, password: user.password }, ip, env: ONE_PER_MINUTE }));
    const { access } = await login(user);
    const sessions = await api('/api/v1/auth/sessions', { token: access });
    expect(sessions.status).toBe(200);
    expect(sessions.body.results).toHaveLength(1);
  });

  it('refused wrong passwords do not count toward the lockout', async () => {
    const user = await createVerifiedUser();
    const ip = await spentIp();
    for (let i = 0; i < 6; i++) {
      expectLimited(await callWorker('/api/v1/auth/login', { body: { email: user.email, password: 'Definitely-Wrong-77' }, ip, env: ONE_PER_MINUTE }));
    }
    expect((await api('/api/v1/auth/login', { body: { email: user.email, password: STRONG_PASSWORD } })).status).toBe(200);
  });

  it('a refused bad request still answers 429, not 400', async () => {
    const ip = await spentIp();
    expectLimited(await callWorker('/api/v1/auth/login', { body: { email: uniqueEmail() }, ip, env: ONE_PER_MINUTE }));
  });

  it('a refused otp/verify leaves the right code unspent and the wrong one uncounted', async () => {
    const user = await createVerifiedUser();
    expect((await api('/api/v1/auth/otp/request', { body: { email: user.email } })).status).toBe(200);
    const { code } = await codeFromMail(user.email, SIGN_IN_MAIL);
    const ip = uniqueIp();
    expect((await callWorker('/api/v1/auth/otp/verify', { body: { email: user.email, code: wrongCode(code) }, ip, env: ONE_PER_MINUTE })).status).toBe(400);
    for (let i = 0; i < 5; i++) {
      expectLimited(await callWorker('/api/v1/auth/otp/verify', { body: { email: user.email, code: wrongCode(code) }, ip, env: ONE_PER_MINUTE }));
    }
    expectLimited(await callWorker('/api/v1/auth/otp/verify', { body: { email: user.email, code }, ip, env: ONE_PER_MINUTE }));
    const signedIn = await api('/api/v1/auth/otp/verify', { body: { email: user.email, code } });
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    expect(signedIn.body.access).toEqual(expect.any(String));
  });
});
