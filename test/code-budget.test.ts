import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { getConfig } from '../src/config/config';
import type { Env } from '../src/env';
import { statePolicies } from '../src/accounts/state/policies';
import { emptyLog, recordFailure, spentFor } from '../src/accounts/state/code-budget';
import { api, registration, uniqueEmail, type ApiResponse } from './helpers/api';
import { createVerifiedUser } from './helpers/users';
import { freezeClock } from './helpers/mfa';
import { callWorker, codeFromMail, RESET_MAIL, SIGN_IN_MAIL, VERIFY_MAIL, wrongCode } from './otp.helpers';
import type { DevMail } from './helpers/mail';

afterEach(() => setClock(null));

const DAY_MS = 24 * 3600_000;
const NEW_PASSWORD = 'Quiet-Harbor-Lantern-47';

const otpVerify = (email: string, code: string) => api('/api/v1/auth/otp/verify', { body: { email, code } });
const reset = (email: string, code: string) => api('/api/v1/auth/password/reset', { body: { email, code, new_password: NEW_PASSWORD } });
const verifyEmail = (email: string, code: string) => api('/api/v1/auth/verify-email', { body: { email, code } });

async function loginCode(email: string, after?: DevMail) {
  expect((await api('/api/v1/auth/otp/request', { body: { email } })).status).toBe(200);
  return codeFromMail(email, SIGN_IN_MAIL, after);
}

async function resetCode(email: string) {
  expect((await api('/api/v1/auth/password/forgot', { body: { email } })).status).toBe(200);
  return codeFromMail(email, RESET_MAIL);
}

/** `n` wrong sign-in codes in a row, each answered 400 otp_invalid. */
async function wrongLoginCodes(email: string, n: number, code = '000000') {
  for (let i = 0; i < n; i++) {
    const res = await otpVerify(email, wrongCode(code));
    expect([res.status, res.body.error?.code], `wrong code ${i + 1}`).toEqual([400, 'otp_invalid']);
  }
}

/** What a client can tell of a 429: status, code, message, the keys of the error, Retry-After. */
const shapeOf = (res: ApiResponse) => ({
  status: res.status,
  code: res.body.error?.code,
  message: res.body.error?.message,
  keys: Object.keys(res.body.error ?? {}),
  retryAfter: res.headers.get('Retry-After'),
});

describe('the daily budget of wrong emailed codes', () => {
  it('is 20 wrong codes per 24 hours by default (LIMIT_CODE_FAILURES)', () => {
    expect(getConfig(env).codeFailureBudget).toEqual({ limit: 20, windowSec: 86_400 });
  });

  it('answers 429 for an account and for an address without one alike, on every code route', async () => {
    freezeClock();
    const user = await createVerifiedUser();
    const { code } = await loginCode(user.email);
    const stranger = uniqueEmail('nobody');
    await wrongLoginCodes(user.email, 20, code);
    await wrongLoginCodes(stranger, 20);

    const routes = [(e: string) => otpVerify(e, '123456'), (e: string) => reset(e, '123456'), (e: string) => verifyEmail(e, '123456')];
    for (const route of routes) {
      const known = await route(user.email);
      const unknown = await route(stranger);
      expect(shapeOf(known)).toEqual({ status: 429, code: 'rate_limited', message: 'Too many wrong codes; try again later.', keys: ['code', 'message', 'request_id'], retryAfter: '86400' });
      expect(shapeOf(unknown)).toEqual(shapeOf(known));
    }
  });

  it('counts across purposes and reissues, and then refuses the right code too', async () => {
    const clock = freezeClock();
    const user = await createVerifiedUser();
    // Verification: a verified address's wrong codes count too (no code on file is wrong as well).
    for (let i = 0; i < 6; i++) expect((await verifyEmail(user.email, '000000')).status).toBe(400);
    // Sign-in: five wrong kill a code; a reissued one starts its own five, not a new budget.
    const first = await loginCode(user.email);
    await wrongLoginCodes(user.email, 5, first.code);
    clock.advance(1000); // mail is stamped by the injected clock: the reissue's must be newer
    const second = await loginCode(user.email, first.mail);
    await wrongLoginCodes(user.email, 4, second.code);
    // Reset: the last five of the twenty.
    const resetting = await resetCode(user.email);
    for (let i = 0; i < 5; i++) expect((await reset(user.email, wrongCode(resetting.code))).status).toBe(400);

    const right = await otpVerify(user.email, second.code);
    expect([right.status, right.body.error?.code]).toEqual([429, 'rate_limited']);
    const rightReset = await reset(user.email, resetting.code);
    expect(rightReset.status).toBe(429);
    // Refused, not spent: neither code was used up by the 429s.
    expect(await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE user_id = ? AND type IN ('otp_login', 'password_reset')").bind(user.id).first('n')).toBe(0);
  });

  it('is exact under concurrency: of 30 parallel wrong codes exactly 20 count, 10 are refused', async () => {
    freezeClock();
    const user = await createVerifiedUser();
    const { code } = await loginCode(user.email);
    const stranger = uniqueEmail('nobody');
    for (const email of [user.email, stranger]) {
      const results = await Promise.all(Array.from({ length: 30 }, () => otpVerify(email, wrongCode(code))));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses, email).toEqual([...Array(20).fill(400), ...Array(10).fill(429)]);
    }
  });

  it('slides: the window passes with the injected clock, and the right code works again', async () => {
    const clock = freezeClock();
    const start = clock.now();
    const user = await createVerifiedUser();
    const first = await loginCode(user.email);
    await wrongLoginCodes(user.email, 20, first.code);
    clock.set(start + DAY_MS - 1000);
    const late = await otpVerify(user.email, first.code);
    expect([late.status, late.headers.get('Retry-After')]).toEqual([429, '1']);
    clock.set(start + DAY_MS);
    const fresh = await loginCode(user.email, first.mail);
    const res = await otpVerify(user.email, fresh.code);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });

  // The object reads its rules from its own config (accounts/state/policies.ts): a per-request env does not reach it.
  it('takes its size and window from LIMIT_CODE_FAILURES', () => {
    const { budget } = statePolicies(getConfig({ ...env, LIMIT_CODE_FAILURES: '3/120' } as Env)).codes;
    expect(budget).toEqual({ limit: 3, windowMs: 120_000 });
    const start = 1_000_000;
    let log = emptyLog(budget);
    for (let i = 0; i < 3; i++) {
      expect(spentFor(log, budget, start)).toBeNull();
      log = recordFailure(log, budget, start);
    }
    expect(spentFor(log, budget, start)).toBe(120);
  });
});
