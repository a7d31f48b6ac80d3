import { and, eq } from 'drizzle-orm';
import type { Env } from '../env';
import { getConfig, type Config } from '../config/config';
import type { RequestContext } from '../http/request-context';
import { users, type UserRow, type UserWithEmail } from '../db/schema';
import { auditInsert } from '../audit/record';
import { enqueueMail, mailBestEffort } from '../mail/enqueue';
import { ApiError } from '../http/errors';
import { findUserByEmail, findUserById } from '../users/queries';
import {
  attemptVerificationCode,
  consumeVerificationLink,
  issueVerification,
  lookupLink,
} from '../codes/verification';
import { metaOf } from '../http/request-meta';

export type VerifyResult = { user: UserRow; newlyVerified: boolean };

/**
 * The API's own GET route, or with FRONTEND_URL the frontend's page, which posts the token
 * to POST /auth/verify-email (what the replaced apps' frontends do).
 */
export function verificationLink(config: Pick<Config, 'publicUrl' | 'frontendUrl'>, token: string): string {
  const base = config.frontendUrl || `${config.publicUrl}/api/v1/auth`;
  return `${base}/verify-email?token=${encodeURIComponent(token)}`;
}

/** Issues a fresh code + link (killing the previous pair) and queues the mail. */
export async function sendVerificationMail(env: Env, user: Pick<UserWithEmail, 'id' | 'email'>, now: number): Promise<void> {
  const config = getConfig(env);
  const issued = await issueVerification(env, user.id, now);
  await enqueueMail(
    env,
    {
      template: 'verify_email',
      to: user.email,
      userId: user.id,
      data: {
        code: issued.code,
        link: verificationLink(config, issued.token),
        code_minutes: Math.round(config.ttl.code / 60),
        link_hours: Math.round(config.ttl.verifyLink / 3600),
      },
    },
    now,
  );
}

/**
 * Verifies by email + code. Unknown address, wrong, expired, spent or dead code all answer
 * otp_invalid, and every one of them counts: toward the code's tries and the owner's
 * daily budget, whether or not the address is verified already. An already verified
 * account answers 200 only to the code that verified it (while it lives), so the route
 * tells strangers nothing about an address; the route then says nothing but a message.
 */
export async function verifyByCode(ctx: RequestContext, email: string, code: string): Promise<VerifyResult> {
  const { env, db, meta, now } = ctx;
  const [user] = await Promise.all([findUserByEmail(db, email), ctx.admitted]);
  const outcome = await attemptVerificationCode(env, { userId: user?.id ?? null, email }, code, now, user?.emailVerified ?? false, ctx.defer);
  if (!user) throw new ApiError('otp_invalid');
  if (outcome !== 'ok') {
    await auditInsert(db, { type: 'email_verification_failed', userId: user.id, ...metaOf(meta), metadata: { method: 'code', outcome }, at: now });
    throw new ApiError('otp_invalid');
  }
  if (user.emailVerified) return { user, newlyVerified: false };
  return markVerified(ctx, user, 'code');
}

/** Verifies by the link token from the mail. */
export async function verifyByLink(ctx: RequestContext, token: string): Promise<VerifyResult> {
  const { env, db, now } = ctx;
  const [link] = await Promise.all([lookupLink(env, token), ctx.admitted]);
  if (!link) throw new ApiError('token_invalid');
  const user = await findUserById(db, link.user_id);
  if (!user) throw new ApiError('token_invalid');
  if (user.emailVerified) {
    // KV's own expiry is coarse; the link's stored end is what counts.
    if (now >= link.expires_at) throw new ApiError('token_invalid');
    return { user, newlyVerified: false };
  }
  const outcome = await consumeVerificationLink(env, link, now);
  if (outcome !== 'ok') throw new ApiError('token_invalid');
  return markVerified(ctx, user, 'link');
}

async function markVerified(ctx: RequestContext, user: UserRow, method: string): Promise<VerifyResult> {
  const { db, meta, now } = ctx;
  const at = new Date(now);
  const [, updated] = await db.batch([
    auditInsert(db, { type: 'email_verified', userId: user.id, actorId: user.id, ...metaOf(meta), metadata: { method }, at: now }),
    db
      .update(users)
      .set({ emailVerified: true, updatedAt: at })
      .where(and(eq(users.id, user.id), eq(users.emailVerified, false)))
      .returning(),
  ]);
  const verified = updated[0] ?? { ...user, emailVerified: true, updatedAt: at };
  // The welcome is a notice the answer does not wait for.
  ctx.defer('welcome mail', () => mailBestEffort(ctx, { template: 'welcome', to: user.email, userId: user.id, data: { first_name: user.firstName } }, 'welcome mail'));
  return { user: verified, newlyVerified: true };
}
