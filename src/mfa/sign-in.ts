import type { RequestContext } from '../http/request-context';
import type { UserRow } from '../db/schema';
import { auditInsert } from '../audit/record';
import { ApiError } from '../http/errors';
import { assertCanSignIn } from '../sign-in/password';
import { accountLocked } from '../sign-in/locked';
import { startSession } from '../sign-in/start-session';
import type { TokenResponse } from '../sessions/tokens';
import { accountState } from '../accounts/state/client';
import { findUserById } from '../users/queries';
import { metaOf } from '../http/request-meta';
import { parseMfaToken } from '../sign-in/mfa-token';
import { checkSecondFactor, type FactorCheck } from './second-factor';
import { MFA_CHANGES, mailMfaChange, recordFactorFailure } from './notify';

/**
 * The second step of a sign-in: an mfa_token and a TOTP or recovery code give tokens.
 * Used by POST /auth/mfa/verify and by the admin console's own sign-in.
 *
 * Errors: token_invalid (unknown, expired, used or dead token), otp_invalid (wrong or
 * already used code; the fifth kills the token), account_locked (the wrong codes count
 * toward the account's lockout like wrong passwords; an admin lock refuses every attempt
 * and leaves the token as it was), rate_limited (another attempt
 * with the same token is still running).
 */
export async function completeMfaSignIn(ctx: RequestContext, mfaToken: string, code: string): Promise<TokenResponse> {
  const { env, db, now } = ctx;
  const parsed = await parseMfaToken(mfaToken);
  if (!parsed) throw new ApiError('token_invalid');
  const user = await findUserById(db, parsed.userId);
  // Turned off since the first factor: nothing to check against; a new sign-in needs none.
  if (!user?.mfaEnabled) throw new ApiError('token_invalid');
  assertCanSignIn(user, ctx.config);

  const state = accountState(env, user.id);
  const start = await state.beginMfaAttempt(parsed.tokenHash, now);
  if (!start.ok) {
    if (start.reason === 'locked') throw accountLocked(start);
    if (start.reason === 'busy') throw new ApiError('rate_limited', 'Another attempt with this token is in progress.', { retryAfter: 1 });
    throw new ApiError('token_invalid');
  }

  let factor: FactorCheck;
  try {
    factor = await checkSecondFactor(env, db, user.id, code, now);
  } catch (err) {
    await state.abortMfaAttempt(parsed.tokenHash, start.attemptId);
    throw err;
  }
  const { outcome, justLocked } = await state.finishMfaAttempt(parsed.tokenHash, start.attemptId, factor.ok, now);
  if (outcome !== 'ok' || !factor.ok) {
    const reason = factor.ok ? 'token_gone' : factor.reason;
    await recordFactorFailure(ctx, user, justLocked, { reason: 'bad_mfa_code', detail: reason, token: outcome });
    throw new ApiError('otp_invalid');
  }
  if (factor.via === 'recovery') await noteRecoveryUse(ctx, user, factor.remaining);
  return startSession(ctx, user, start.device, 'mfa');
}

async function noteRecoveryUse(ctx: RequestContext, user: UserRow, remaining: number): Promise<void> {
  const { db, meta, now } = ctx;
  await auditInsert(db, { type: 'mfa_recovery_used', userId: user.id, actorId: user.id, ...metaOf(meta), metadata: { purpose: 'sign_in', remaining }, at: now });
  await mailMfaChange(ctx, user, MFA_CHANGES.recoveryUsed(remaining));
}
