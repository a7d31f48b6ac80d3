import { inject, expect } from 'vitest';
import { setClock } from '../../src/clock';
import { api } from './api';
import { createVerifiedUser, login, type TestUser } from './users';

/**
 * oathtool's TOTP code (6 digits unless asked) for a base32 secret at `timeMs`, from the
 * helper the global setup runs in Node (test/setup/oathtool.ts).
 */
export async function oathtool(secret: string, timeMs: number, digits = 6): Promise<string> {
  const url = `${inject('oathtoolUrl')}/totp?secret=${secret}&time=${Math.floor(timeMs / 1000)}&digits=${digits}`;
  const res = await fetch(url);
  const text = await res.text();
  if (res.status !== 200) throw new Error(`oathtool helper answered ${res.status}: ${text}`);
  return text;
}

/** A frozen clock for the Worker and the test alike; `advance` moves it. Undo with setClock(null). */
export function freezeClock(start = Date.now()) {
  let now = start;
  setClock({ now: () => now });
  return {
    now: () => now,
    set: (value: number) => void (now = value),
    advance: (ms: number) => void (now += ms),
    /** Onto the next 30-second TOTP step, so a fresh code is not the one just spent. */
    nextStep: () => void (now += 30_000),
  };
}

export type Clock = ReturnType<typeof freezeClock>;

export interface EnrolledUser extends TestUser {
  secret: string;
  recoveryCodes: string[];
  /** Access token of the session that enrolled. */
  access: string;
}

/** A verified user with TOTP confirmed through the API (codes from oathtool); the clock ends on a fresh step. */
export async function createEnrolledUser(clock: Clock, overrides: Record<string, unknown> = {}): Promise<EnrolledUser> {
  const user = await createVerifiedUser(overrides);
  const { access } = await login(user);
  const setup = await api('/api/v1/auth/mfa/totp/setup', { token: access, body: { password: user.password } });
  expect(setup.status, JSON.stringify(setup.body)).toBe(200);
  const secret = setup.body.secret as string;
  const confirm = await api('/api/v1/auth/mfa/totp/confirm', { token: access, body: { code: await oathtool(secret, clock.now()) } });
  expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
  clock.nextStep();
  return { ...user, secret, recoveryCodes: confirm.body.recovery_codes, access };
}

/** Password login of an enrolled user: asserts the second factor is asked for and returns the mfa_token. */
export async function passwordStep(user: Pick<TestUser, 'email' | 'password'>, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await api('/api/v1/auth/login', { body: { email: user.email, password: user.password, ...extra }, settle: true });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.mfa_required).toBe(true);
  return res.body.mfa_token as string;
}

export function verifyMfa(mfaToken: string, code: string, ip?: string) {
  return api('/api/v1/auth/mfa/verify', { body: { mfa_token: mfaToken, code }, ip, settle: true });
}
