import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { userState } from '../src/accounts/state/client';
import { api } from './helpers/api';
import { waitForMail } from './helpers/mail';
import { createEnrolledUser, freezeClock, oathtool, passwordStep, verifyMfa, type Clock, type EnrolledUser } from './helpers/mfa';

afterEach(() => setClock(null));

/** A six-digit code that is none of the window's codes right now. */
async function wrongCode(user: EnrolledUser, clock: Clock): Promise<string> {
  const window = await Promise.all([-1, 0, 1].map((o) => oathtool(user.secret, clock.now() + o * 30_000)));
  for (let n = 0; ; n++) {
    const candidate = String(n).padStart(6, '0');
    if (!window.includes(candidate)) return candidate;
  }
}

const passwordLogin = (user: EnrolledUser) => api('/api/v1/auth/login', { body: { email: user.email, password: user.password } });

describe('wrong second-factor codes', () => {
  it('five kill the mfa_token and lock the account like five wrong passwords, for 5 minutes', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    const token = await passwordStep(user);
    const wrong = await wrongCode(user, clock);
    for (let i = 0; i < 5; i++) {
      const res = await verifyMfa(token, wrong);
      expect([res.status, res.body.error.code], `attempt ${i + 1}`).toEqual([400, 'otp_invalid']);
    }
    const dead = await verifyMfa(token, await oathtool(user.secret, clock.now()));
    expect([dead.status, dead.body.error.code]).toEqual([400, 'token_invalid']);

    const locked = await passwordLogin(user);
    expect([locked.status, locked.body.error.code]).toEqual([423, 'account_locked']);
    expect(Number(locked.headers.get('Retry-After'))).toBe(300);
    const { results } = await env.DB.prepare("SELECT type FROM audit_events WHERE user_id = ? AND type IN ('login_failed', 'account_locked')").bind(user.id).all<{ type: string }>();
    expect(results.filter((r) => r.type === 'login_failed').length).toBeGreaterThanOrEqual(5);
    expect(results.filter((r) => r.type === 'account_locked')).toHaveLength(1);
    await waitForMail(user.email, { subject: /temporarily locked/ });

    clock.advance(300_000);
    clock.nextStep();
    const fresh = await passwordStep(user);
    expect((await verifyMfa(fresh, await oathtool(user.secret, clock.now()))).status).toBe(200);
  });

  it('count across tokens, and a right password in between does not reset them', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    const wrong = await wrongCode(user, clock);
    const first = await passwordStep(user);
    for (let i = 0; i < 3; i++) expect((await verifyMfa(first, wrong)).status).toBe(400);
    const second = await passwordStep(user);
    for (let i = 0; i < 2; i++) expect((await verifyMfa(second, wrong)).status).toBe(400);
    const locked = await verifyMfa(second, await oathtool(user.secret, clock.now()));
    expect([locked.status, locked.body.error.code]).toEqual([423, 'account_locked']);
    expect((await passwordLogin(user)).status).toBe(423);
  });

  it('a right code clears the count', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    const wrong = await wrongCode(user, clock);
    const token = await passwordStep(user);
    for (let i = 0; i < 4; i++) expect((await verifyMfa(token, wrong)).status).toBe(400);
    expect((await verifyMfa(token, await oathtool(user.secret, clock.now()))).status).toBe(200);
    clock.nextStep();
    const next = await passwordStep(user);
    for (let i = 0; i < 4; i++) expect((await verifyMfa(next, wrong)).status).toBe(400);
    expect((await verifyMfa(next, await oathtool(user.secret, clock.now()))).status).toBe(200);
  });

  it('wrong passwords and wrong codes share one count', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    const token = await passwordStep(user);
    for (let i = 0; i < 2; i++) expect((await verifyMfa(token, await wrongCode(user, clock))).status).toBe(400);
    for (let i = 0; i < 3; i++) {
      expect((await api('/api/v1/auth/login', { body: { email: user.email, password: 'Wrong-Password-00' } })).status).toBe(401);
    }
    expect((await passwordLogin(user)).status).toBe(423);
  });

  it('is exact under concurrency: ten wrong codes on ten tokens at once give five 400s and five 423s', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    // One after another: parallel password checks would be counted as possible failures.
    const tokens: string[] = [];
    for (let i = 0; i < 10; i++) tokens.push(await passwordStep(user));
    const wrong = await wrongCode(user, clock);
    const results = await Promise.all(tokens.map((t) => verifyMfa(t, wrong)));
    const codes = results.map((r) => `${r.status} ${r.body.error.code}`);
    expect(codes.filter((c) => c === '400 otp_invalid')).toHaveLength(5);
    expect(codes.filter((c) => c === '423 account_locked')).toHaveLength(5);
  });

  it('one token hammered in parallel never spends more than five tries', async () => {
    const clock = freezeClock();
    const user = await createEnrolledUser(clock);
    const token = await passwordStep(user);
    const wrong = await wrongCode(user, clock);
    const results = await Promise.all(Array.from({ length: 20 }, () => verifyMfa(token, wrong)));
    const codes = results.map((r) => r.body.error.code as string);
    expect(codes.filter((c) => c === 'otp_invalid').length).toBeLessThanOrEqual(5);
    for (const code of codes) expect(['otp_invalid', 'rate_limited', 'token_invalid', 'account_locked']).toContain(code);
    const { failures } = await userState(env, user.id).lockoutStatus(clock.now());
    expect(failures).toBe(codes.filter((c) => c === 'otp_invalid').length);
  });
});
