import type { Env } from '../env';
import { getConfig } from '../config/config';
import type { RequestContext } from '../http/request-context';
import { auditInsert } from '../audit/record';
import { addressKey, consumeLimit, rule } from '../ratelimit/limit';
import { findUserByEmail } from '../users/queries';
import { sendVerificationMail } from './verify-email';
import { metaOf } from '../http/request-meta';

const SCOPE = 'resend';
const VERIFICATION_MAILS = 'verification mails to this email address';

/**
 * Spends the address's resend budget (the same for addresses without an account, so the
 * 429s reveal nothing), or throws rate_limited. The registration mail spends none of it,
 * not even the spacing: otherwise a resend right after a registration would answer 429
 * for a new address and 200 for one that already had an account.
 */
export async function spendResendBudget(env: Env, email: string): Promise<void> {
  const { limits } = getConfig(env);
  await consumeLimit(env, await addressKey(SCOPE, email), [
    rule('hour', limits.resendPerHour, VERIFICATION_MAILS),
    rule('spacing', limits.resendSpacing, VERIFICATION_MAILS),
  ]);
}

/** Sends a fresh code and link to an unverified live account; does nothing for any other address. */
export async function resendVerification(ctx: RequestContext, email: string): Promise<void> {
  const { env, db, meta, now } = ctx;
  const user = await findUserByEmail(db, email);
  if (!user || user.emailVerified || !user.isActive) return;
  await sendVerificationMail(env, user, now);
  await auditInsert(db, { type: 'verification_resent', userId: user.id, ...metaOf(meta), at: now });
}
