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
import { checkSecondFactor, readSecret, type FactorCheck } from './second-factor';
import { classifyCode } from './recovery-codes';
import { findTotp, type TotpRow } from './store';
import { matchTotp } from './totp';
import { sessionStarted } from '../sign-in/start-session';
import { STALE, withFreshAccount, type AccountRead, type Seen, type Stale } from '../sign-in/fresh-account';
import { MFA_CHANGES, mailMfaChange, recordFactorFailure } from './notify';

/**
 * The second step of a sign-in: an mfa_token and a TOTP or recovery code give tokens.
 * Used by POST /auth/mfa/verify and by the admin console's own sign-in.
 *
 * Errors: token_invalid (unknown, expired, used or dead token), otp_invalid (wrong or
 * already used code; the fifth kills the token), account_locked (the wrong codes count
 * toward the account's lockout like wrong passwords; an admin lock refuses every attempt
 * and leaves the token as it was), rate_limited (another attempt
 * with the same token is still running). A TOTP code takes one call to the user's object
 * (totpStep); the account is read through withFreshAccount (sign-in/fresh-account.ts).
 */
export async function completeMfaSignIn(ctx: RequestContext, mfaToken: string, code: string, seen?: Seen<Enrolled>): Promise<TokenResponse> {
  const parsed = await parseMfaToken(mfaToken);
  if (!parsed) throw new ApiError('token_invalid');
  const submitted = classifyCode(code);
  const read: AccountRead<Enrolled> = {
    // The TOTP row is read alongside the account: one round trip for both.
    read: async (db) => {
      const [user, totp] = await Promise.all([findUserById(db, parsed.userId), submitted?.kind === 'recovery' ? undefined : findTotp(db, parsed.userId)]);
      return { user, totp };
    },
    row: (found) => found.user,
  };
  return withFreshAccount(ctx, read, async ({ user, totp }, stamp) => {
    // Turned off since the first factor: nothing to check against; a new sign-in needs none.
    if (!user?.mfaEnabled) throw new ApiError('token_invalid');
    assertCanSignIn(user, ctx.config);
    if (submitted?.kind === 'recovery') return recoveryStep(ctx, user, parsed.tokenHash, code, stamp);
    return totpStep(ctx, user, parsed.tokenHash, { submitted: submitted?.code ?? null, totp }, stamp);
  }, seen);
}

/** What the second step reads: the account and its TOTP row (none is read for a recovery code). */
export interface Enrolled {
  user: UserRow | undefined;
  totp: TotpRow | undefined;
}

/**
 * A TOTP code (or a malformed one): matched here against the confirmed secret, then ONE
 * object call (settleMfaStep) judges the token, the fence and the lockout, spends the
 * time step and opens the session.
 */
async function totpStep(ctx: RequestContext, user: UserRow, tokenHash: string, code: { submitted: string | null; totp: TotpRow | undefined }, stamp: number | undefined): Promise<TokenResponse | Stale> {
  const { env, meta, now } = ctx;
  const { submitted, totp } = code;
  const step = submitted !== null && totp?.confirmedAt ? await matchTotp(await readSecret(env, user.id, totp.secretCiphertext), submitted, now) : null;
  const settled = await accountState(env, user.id).settleMfaStep({ tokenHash, stamp, totpStep: step, client: { ip: meta.ip, userAgent: meta.userAgent } }, now);
  switch (settled.outcome) {
    case 'stale':
      return STALE;
    case 'token_invalid':
      throw new ApiError('token_invalid');
    case 'busy':
      throw busy();
    case 'locked':
      throw accountLocked(settled);
    case 'invalid':
    case 'exhausted': {
      const detail = submitted === null ? 'malformed' : settled.reason;
      await recordFactorFailure(ctx, user, settled.justLocked, { reason: 'bad_mfa_code', detail, token: settled.outcome });
      throw new ApiError('otp_invalid');
    }
    case 'ok':
      return sessionStarted(ctx, user, settled.device, 'mfa', settled.session);
  }
}

const busy = () => new ApiError('rate_limited', 'Another attempt with this token is in progress.', { retryAfter: 1 });

/**
 * A recovery code is spent in D1 (a conditional update), so it runs under a reservation
 * the object holds meanwhile: begin (fence, token, lockout), spend, finish, open.
 */
async function recoveryStep(ctx: RequestContext, user: UserRow, tokenHash: string, code: string, stamp: number | undefined): Promise<TokenResponse | Stale> {
  const { env, db, now } = ctx;
  const state = accountState(env, user.id);
  const start = await state.beginMfaAttempt(tokenHash, now, stamp);
  if (!start.ok) {
    if (start.reason === 'stale') return STALE;
    if (start.reason === 'locked') throw accountLocked(start);
    if (start.reason === 'busy') throw busy();
    throw new ApiError('token_invalid');
  }

  let factor: FactorCheck;
  try {
    factor = await checkSecondFactor(env, db, user.id, code, now);
  } catch (err) {
    await state.abortMfaAttempt(tokenHash, start.attemptId);
    throw err;
  }
  const { outcome, justLocked } = await state.finishMfaAttempt(tokenHash, start.attemptId, factor.ok, now);
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
