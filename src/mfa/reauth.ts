import type { RequestContext } from '../http/request-context';
import type { UserRow } from '../db/schema';
import { ApiError, validationError } from '../http/errors';
import { verifyPassword } from '../password/hashing';
import { accountLocked } from '../sign-in/locked';
import { accountState } from '../accounts/state/client';
import { checkSecondFactor, type FactorCheck } from './second-factor';
import { recordFactorFailure } from './notify';

const WRONG_PASSWORD = 'Your password was entered incorrectly. Please enter it again.';

/**
 * Password alone, for starting a TOTP setup: a stolen access token must not be enough to
 * enrol an attacker's authenticator. Under the account's lockout like a login: a wrong
 * password is a failed attempt (423 once locked), answered 400 on `password`.
 */
export async function confirmPassword(ctx: RequestContext, user: UserRow, password: string, purpose: string): Promise<void> {
  const attempt = await beginReauth(ctx, user, purpose);
  await attempt.checkPassword(password);
  await attempt.state.finishSignIn(attempt.reservationId, 'passed', ctx.now);
}

/**
 * Password and current second factor, for turning MFA off or replacing the recovery
 * codes. Both run under one lockout reservation and either being wrong is a failed
 * attempt, so a stolen access token cannot guess its way to either (423 once locked).
 * Wrong answers are 400s (on `password`, or otp_invalid), never 401, which a client
 * would take for a dead access token.
 */
export async function confirmPasswordAndCode(
  ctx: RequestContext,
  user: UserRow,
  input: { password: string; code: string },
  purpose: string,
): Promise<Extract<FactorCheck, { ok: true }>> {
  const { env, db, now } = ctx;
  const attempt = await beginReauth(ctx, user, purpose);
  await attempt.checkPassword(input.password);
  // Checked only after the password: a wrong password must not spend a code.
  const factor = await checkSecondFactor(env, db, user.id, input.code, now);
  if (!factor.ok) {
    await attempt.fail('bad_mfa_code');
    throw new ApiError('otp_invalid');
  }
  await attempt.state.finishSignIn(attempt.reservationId, 'second_factor_passed', now);
  return factor;
}

/** One re-authentication under a lockout reservation: 423 when locked; each failure counted, audited and, when it locks, mailed. */
async function beginReauth(ctx: RequestContext, user: UserRow, purpose: string) {
  const { env, now } = ctx;
  const state = accountState(env, user.id);
  const reservation = await state.attemptSignIn(now);
  if (!reservation.ok) throw accountLocked(reservation);

  const fail = async (reason: 'bad_password' | 'bad_mfa_code') => {
    const result = reason === 'bad_mfa_code' ? 'second_factor_failed' : 'failed';
    const { justLocked } = await state.finishSignIn(reservation.id, result, now);
    await recordFactorFailure(ctx, user, justLocked, { reason, during: purpose });
  };
  const checkPassword = async (password: string) => {
    if ((await verifyPassword(password, user.passwordHash)).ok) return;
    await fail('bad_password');
    throw validationError({ password: [WRONG_PASSWORD] });
  };
  return { state, reservationId: reservation.id, fail, checkPassword };
}
