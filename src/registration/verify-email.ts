import type { Env } from '../env';
import { getConfig, type Config } from '../config/config';
import type { RequestContext } from '../http/request-context';
import type { UserRow, UserWithEmail } from '../db/schema';
import { auditInsert, eventValues } from '../audit/record';
import { accountState } from '../accounts/state/client';
import { auditIfWritten, type AuditValues, type VerifiedEntry } from '../accounts/state/verified-outbox';
import { errorSummary } from '../http/log';
import { enqueueMail, mailBestEffort } from '../mail/enqueue';
import { ApiError } from '../http/errors';
import { findUserByEmail, findUserById } from '../users/queries';
import {
  consumeVerificationLink,
  judgeVerificationCode,
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
 * The user's object decides, and records the verification in the step that spends the
 * code: D1 learns it just after the answer (verifiedNow).
 */
export async function verifyByCode(ctx: RequestContext, email: string, code: string): Promise<VerifyResult> {
  const { env, db, meta, now } = ctx;
  const [user] = await Promise.all([findUserByEmail(db, email), ctx.admitted]);
  const entry = user?.email && !user.emailVerified ? verifiedEntry(ctx, user.id, user.email, 'code') : undefined;
  const owner = { userId: user?.id ?? null, email };
  const { outcome, verified } = await judgeVerificationCode(env, owner, code, now, { acceptUsed: user?.emailVerified ?? false, defer: ctx.defer, verifies: entry });
  if (!user) throw new ApiError('otp_invalid');
  if (outcome !== 'ok') {
    await auditInsert(db, { type: 'email_verification_failed', userId: user.id, ...metaOf(meta), metadata: { method: 'code', outcome }, at: now });
    throw new ApiError('otp_invalid');
  }
  if (!entry || verified !== 'now') return { user, newlyVerified: false };
  return verifiedNow(ctx, user, entry);
}

/** Verifies by the link token from the mail. */
export async function verifyByLink(ctx: RequestContext, token: string): Promise<VerifyResult> {
  const { env, db, now } = ctx;
  const [link] = await Promise.all([lookupLink(env, token), ctx.admitted]);
  if (!link) throw new ApiError('token_invalid');
  const user = await findUserById(db, link.user_id);
  if (!user?.email) throw new ApiError('token_invalid');
  // KV's own expiry is coarse; the link's stored end is what counts.
  const already = () => {
    if (now >= link.expires_at) throw new ApiError('token_invalid');
    return { user, newlyVerified: false };
  };
  if (user.emailVerified) return already();
  const entry = verifiedEntry(ctx, user.id, user.email, 'link');
  const { outcome, verified } = await consumeVerificationLink(env, link, entry, now);
  if (outcome !== 'ok') throw new ApiError('token_invalid');
  if (verified !== 'now') return already();
  return verifiedNow(ctx, user, entry);
}

/** What the object records when this request verifies the address: the audit row is made here, with the request's facts. */
function verifiedEntry(ctx: RequestContext, userId: string, email: string, method: VerifiedEntry['method']): VerifiedEntry {
  const { meta, now } = ctx;
  const row = eventValues({ type: 'email_verified', userId, actorId: userId, ...metaOf(meta), metadata: { method }, at: now }) as AuditValues;
  const core = { userId, email, at: now };
  return { ...core, method, audit: auditIfWritten(core, row) };
}

/**
 * The object verified the address: the answer goes now, and D1 gets the flag and the audit
 * row just after it. A failed write is logged and left to the object's alarm, which keeps
 * the entry until D1 has it; the welcome mail goes either way.
 */
function verifiedNow(ctx: RequestContext, user: UserRow, entry: VerifiedEntry): VerifyResult {
  const state = accountState(ctx.env, user.id);
  ctx.defer('welcome mail', async () => {
    await state.flushVerified(ctx.db, entry, ctx.now).catch((err: unknown) => ctx.log.error('email_verified flush failed; the object retries', errorSummary(err)));
    await mailBestEffort(ctx, { template: 'welcome', to: entry.email, userId: user.id, data: { first_name: user.firstName } }, 'welcome mail');
  });
  return { user: { ...user, emailVerified: true, updatedAt: new Date(entry.at) }, newlyVerified: true };
}
