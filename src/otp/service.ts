import type { RequestContext } from '../http/request-context';
import type { UserRow } from '../db/schema';
import { auditInsert } from '../audit/record';
import { ApiError } from '../http/errors';
import { findUserByEmail } from '../users/queries';
import { assertCanSignIn, signInRefusal } from '../sign-in/password';
import { newSession, type DeviceInput } from '../sign-in/start-session';
import type { SessionRecord } from '../accounts/state/sessions';
import { metaOf } from '../http/request-meta';
import { attemptSignInCode } from '../codes/one-time-codes';
import { mailCode } from '../codes/mail';
import { accountRead, STALE, withFreshAccount, type Seen } from '../sign-in/fresh-account';

/** Mails a sign-in code to an active, verified account; does nothing for any other address. */
export async function sendLoginCode(ctx: RequestContext, email: string): Promise<void> {
  const { env, db, meta, now } = ctx;
  // Runs after the answer, so the primary costs nobody a wait: a just-verified or
  // just-registered account gets its code even before a replica has it.
  const user = await findUserByEmail(ctx.primary, email);
  if (!user || !user.isActive || !user.emailVerified) return;
  await mailCode(env, user, 'login', now);
  await auditInsert(db, { type: 'otp_requested', userId: user.id, ...metaOf(meta), metadata: { purpose: 'login' }, at: now });
}

/**
 * Spends the sign-in code and returns the account it signs in, with the session the same
 * object call opened when the account may sign in without a second factor (null: the
 * caller hands over to completeSignIn). Unknown address, wrong, expired, used, superseded
 * or exhausted code, or a code for another purpose: all otp_invalid. Like the password, a
 * right code is what earns the 403s, and the 423 of an admin lock (the code stays
 * unspent). Past the daily budget of wrong codes: 429, for known and unknown addresses alike.
 * The account is read through withFreshAccount (sign-in/fresh-account.ts): a row the
 * object calls stale spent nothing, and the code is tried once more on the primary's row.
 */
export async function acceptLoginCode(
  ctx: RequestContext,
  email: string,
  code: string,
  device: DeviceInput | null | undefined,
  seen?: Seen<UserRow | undefined>,
): Promise<{ user: UserRow; session: SessionRecord | null }> {
  const { env, db, meta, now } = ctx;
  const read = accountRead((from) => findUserByEmail(from, email));
  return withFreshAccount(ctx, read, async (user, stamp) => {
    const opens = user && !user.mfaEnabled && !signInRefusal(user, ctx.config) ? newSession(ctx, device) : undefined;
    const judgement = await attemptSignInCode(env, { userId: user?.id ?? null, email }, code, now, { session: opens, stamp }, ctx.defer);
    if (judgement.outcome === 'stale') return STALE;
    const { outcome, session } = judgement;
    if (!user || outcome !== 'ok') {
      if (user) await auditInsert(db, { type: 'otp_failed', userId: user.id, ...metaOf(meta), metadata: { purpose: 'login', outcome }, at: now });
      throw new ApiError('otp_invalid');
    }
    assertCanSignIn(user, ctx.config);
    // The code is spent: the audit row of that success is written after the answer.
    ctx.defer('otp_login audit', () => auditInsert(db, { type: 'otp_login', userId: user.id, actorId: user.id, ...metaOf(meta), at: now }));
    return { user, session };
  }, seen);
}
