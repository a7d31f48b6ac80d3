import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users, type UserRow } from '../db/schema';
import type { Config } from '../config/config';
import { auditInsert } from '../audit/record';
import { ApiError } from '../http/errors';
import type { RequestContext } from '../http/request-context';
import { metaOf } from '../http/request-meta';
import { auditTargetHash } from '../audit/identifier-hash';
import { hashPassword, verifyPassword } from '../password/hashing';
import { mailBestEffort } from '../mail/enqueue';
import { errorSummary } from '../http/log';
import { accountState, standInState } from '../accounts/state/client';
import type { SignInSettlement } from '../accounts/state/sign-in-settlement';
import type { NewSession, SessionRecord } from '../accounts/state/sessions';
import { findUserByIdentifier, identifierHash, type Identifier } from '../users/identifier';
import { accountRead, STALE, withFreshAccount, type Seen } from './fresh-account';
import { accountLocked } from './locked';

/** Hashed once per isolate: unknown users cost the same password check as known ones. */
let dummyHash: Promise<string> | null = null;
const getDummyHash = () => (dummyHash ??= hashPassword('gatehouse-timing-equalizer-password'));

/** A failed or refused attempt, as its audit events name it. */
interface Attempt {
  user: UserRow | undefined;
  identifier: Identifier;
}

/** What a right password opens in the same object call that settles it (sign-in/password-login.ts). */
export interface PasswordOffer {
  session?: NewSession;
  mfaChallenge?: SignInSettlement['mfaChallenge'];
}

/** A right password, and what it opened. */
export interface PasswordPassed {
  user: UserRow;
  session?: SessionRecord;
}

/**
 * Checks a password against an identifier under the account's lockout. Returns the user
 * once the password was right; throws invalid_credentials (401, the same for unknown
 * users and wrong passwords) or account_locked (423: failure lockout or admin lock, for a
 * right password as for a wrong one). Status checks (verified, active) are the caller's,
 * after this. The console sign-in and the password change come through here; the API
 * login uses settlePassword with what a right password opens.
 */
export async function checkPassword(ctx: RequestContext, identifier: Identifier, password: string): Promise<UserRow> {
  return (await settlePassword(ctx, identifier, password, () => ({}))).user;
}

/**
 * The password is hashed first (against a stand-in hash for unknown names), then ONE call
 * to the object settles it (settleSignIn): the lockout decides, the attempt counts, and a
 * right password opens what `offer` says it earns. The account is read through
 * withFreshAccount: a row the object calls stale is read again from the primary.
 */
export async function settlePassword(
  ctx: RequestContext,
  identifier: Identifier,
  password: string,
  offer: (user: UserRow) => PasswordOffer | Promise<PasswordOffer>,
  seen?: Seen<UserRow | undefined>,
): Promise<PasswordPassed> {
  const verify = verifier(password);
  const read = accountRead((db) => findUserByIdentifier(db, identifier));
  return withFreshAccount(ctx, read, async (user, stamp) => {
    const result = await verify(user?.passwordHash ?? (await getDummyHash()));
    const passed = user !== undefined && result.ok;
    // A replica's row that refuses a right password (403) may predate a change that lifts
    // the refusal (just verified, reactivated): the primary's row decides that.
    if (passed && stamp !== undefined && signInRefusal(user, ctx.config)) return STALE;
    const state = user ? accountState(ctx.env, user.id) : standInState(ctx.env, await identifierHash(identifier));
    const offered = passed ? await offer(user) : {};
    // An address verified a moment ago may not be in D1 yet: the object vouches for it in this same call.
    const unverifiedEmail = passed && (offered.session || offered.mfaChallenge) && refusedOnlyAsUnverified(user, ctx.config) ? user.email! : undefined;
    const settled = await state.settleSignIn({ passed, stamp, ...offered, ...(unverifiedEmail ? { unverifiedEmail } : {}) }, ctx.now);
    if (settled.outcome === 'stale') return STALE;
    if (settled.outcome === 'locked') throw await refuseLocked(ctx, { user, identifier }, settled);
    if (settled.outcome === 'failed' || !user) {
      await recordFailure(ctx, { user, identifier }, settled.outcome === 'failed' && settled.justLocked);
      throw new ApiError('invalid_credentials');
    }
    // The sign-in stands if the upgrade fails: the old hash still works, and the next login tries again.
    if (result.needsRehash) await upgradeHash(ctx.db, user, password, ctx.now).catch((err: unknown) => ctx.log.error('password hash upgrade failed', errorSummary(err)));
    return { user: settled.verifiedHere ? { ...user, emailVerified: true } : user, session: settled.session };
  }, seen);
}

/** verifyPassword, remembered by hash: a retry on the primary's row with the same hash does not hash again. */
function verifier(password: string) {
  const done = new Map<string, ReturnType<typeof verifyPassword>>();
  return (hash: string) => {
    let result = done.get(hash);
    if (!result) done.set(hash, (result = verifyPassword(password, hash)));
    return result;
  };
}

/**
 * A keyed hash names the target of a failure without storing the identifier, so the
 * security analysis can count distinct targets, accounts or not.
 */
const targetOf = (ctx: RequestContext, identifier: Identifier) => auditTargetHash(ctx.env, identifier.kind, identifier.value);

async function refuseLocked(ctx: RequestContext, attempt: Attempt, refusal: { retryAfter: number; byAdmin?: boolean }): Promise<ApiError> {
  const { db, meta, now } = ctx;
  const { user, identifier } = attempt;
  const reason = refusal.byAdmin ? 'admin_locked' : 'locked';
  await auditInsert(db, { type: 'login_failed', userId: user?.id, ...metaOf(meta), metadata: { reason, via: identifier.kind, target: await targetOf(ctx, identifier) }, at: now });
  return accountLocked(refusal);
}

async function recordFailure(ctx: RequestContext, attempt: Attempt, justLocked: boolean): Promise<void> {
  const { db, meta, now } = ctx;
  const { user, identifier } = attempt;
  const target = await targetOf(ctx, identifier);
  const failed = auditInsert(db, { type: 'login_failed', userId: user?.id, ...metaOf(meta), metadata: { reason: 'bad_credentials', via: identifier.kind, target }, at: now });
  if (justLocked) {
    const locked = auditInsert(db, { type: 'account_locked', userId: user?.id, ...metaOf(meta), metadata: { via: identifier.kind, known_account: Boolean(user) }, at: now });
    await db.batch([failed, locked]);
  } else {
    await failed;
  }
  if (justLocked && user) {
    const minutes = Math.round(ctx.config.ttl.lockout / 60);
    await mailBestEffort(ctx, { template: 'lockout_notice', to: user.email, userId: user.id, data: { minutes } }, 'lockout notice');
  }
}

/** Imported (Django) or weaker hashes are replaced on the first successful login. */
async function upgradeHash(db: Db, user: UserRow, password: string, now: number): Promise<void> {
  const passwordHash = await hashPassword(password);
  await db.update(users).set({ passwordHash, updatedAt: new Date(now) }).where(eq(users.id, user.id));
  user.passwordHash = passwordHash;
}

/**
 * 403s only once the password was right: they reveal nothing to someone guessing. An
 * unverified email keeps its account out unless REQUIRE_EMAIL_VERIFICATION is false; an
 * account without an email has nothing to verify.
 */
export function assertCanSignIn(user: UserRow, config: Pick<Config, 'requireEmailVerification'>): void {
  const refusal = signInRefusal(user, config);
  if (refusal) throw refusal;
}

/**
 * True when the only refusal is an unverified address: the user's object may have verified
 * it a moment ago, before D1 has the flag (accounts/state/verified-outbox.ts).
 */
export function refusedOnlyAsUnverified(user: UserRow, config: Pick<Config, 'requireEmailVerification'>): boolean {
  return signInRefusal(user, config)?.code === 'email_not_verified';
}

/** What assertCanSignIn would throw, or null when the account may sign in. */
export function signInRefusal(user: UserRow, config: Pick<Config, 'requireEmailVerification'>): ApiError | null {
  if (!user.isActive) return new ApiError('account_disabled');
  if (config.requireEmailVerification && user.email !== null && !user.emailVerified) return new ApiError('email_not_verified');
  return null;
}
