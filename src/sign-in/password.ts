import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users, type UserRow } from '../db/schema';
import type { Config } from '../config/config';
import { auditInsert } from '../audit/record';
import { ApiError } from '../http/errors';
import type { RequestContext } from '../http/request-context';
import { metaOf } from '../http/request-meta';
import { sha256Hex } from '../crypto/hash';
import { auditTargetHash } from '../audit/identifier-hash';
import { hashPassword, verifyPassword } from '../password/hashing';
import { mailBestEffort } from '../mail/enqueue';
import { accountState, standInState, type AccountState } from '../accounts/state/client';
import { findUserByIdentifier, type Identifier } from '../users/identifier';
import { accountLocked } from './locked';

/** Hashed once per isolate: unknown users cost the same password check as known ones. */
let dummyHash: Promise<string> | null = null;
const getDummyHash = () => (dummyHash ??= hashPassword('gatehouse-timing-equalizer-password'));

/** One password attempt under a lockout reservation, and what its audit events say of it. */
interface Attempt {
  state: AccountState;
  reservation: string;
  user: UserRow | undefined;
  identifier: Identifier;
  /** A keyed hash of the identifier (audit/identifier-hash.ts). */
  target: string;
}

/**
 * A right password whose lockout reservation is still open: `finish` ends it as 'passed';
 * or the session it earns ends it and opens the session in one object call
 * (sign-in/start-session.ts), so a login waits for one object hop there, not two.
 */
export interface PassedPassword {
  user: UserRow;
  state: AccountState;
  reservation: string;
  finish(): Promise<unknown>;
}

/**
 * Checks a password against an identifier under the account's lockout. Returns the user
 * once the password was right; throws invalid_credentials (401, the same for unknown
 * users and wrong passwords) or account_locked (423: failure lockout or admin lock, both
 * decided by the reservation before the password is looked at). Status checks
 * (verified, active) are the caller's, after this. The console sign-in, the password
 * change and MFA re-authentication come through here; the API login uses passwordAttempt.
 */
export async function checkPassword(ctx: RequestContext, identifier: Identifier, password: string): Promise<UserRow> {
  const passed = await passwordAttempt(ctx, identifier, password);
  await passed.finish();
  return passed.user;
}

/** checkPassword, leaving a right password's reservation open for the caller to end (PassedPassword). */
export async function passwordAttempt(ctx: RequestContext, identifier: Identifier, password: string): Promise<PassedPassword> {
  const { env, db, meta, now } = ctx;
  // The IP limit is decided alongside this read (ctx.admitted); nothing is written before both.
  const [user] = await Promise.all([findUserByIdentifier(db, identifier), ctx.admitted]);
  const identifierHash = await sha256Hex(`${identifier.kind}:${identifier.value}`);
  const state = user ? accountState(env, user.id) : standInState(env, identifierHash);
  // A keyed hash names the target of a failure without storing the identifier, so the
  // security analysis can count distinct targets, accounts or not.
  const target = await auditTargetHash(env, identifier.kind, identifier.value);
  // The object waits for attempts in flight when every remaining slot is taken.
  const reservation = await state.attemptSignIn(now);
  if (!reservation.ok) {
    const reason = reservation.byAdmin ? 'admin_locked' : 'locked';
    await auditInsert(db, { type: 'login_failed', userId: user?.id, ...metaOf(meta), metadata: { reason, via: identifier.kind, target }, at: now });
    throw accountLocked(reservation);
  }
  const result = await verifyPassword(password, user?.passwordHash ?? (await getDummyHash()));
  if (!user || !result.ok) {
    await recordFailure(ctx, { state, reservation: reservation.id, user, identifier, target });
    throw new ApiError('invalid_credentials');
  }
  const passed: PassedPassword = { user, state, reservation: reservation.id, finish: () => state.finishSignIn(reservation.id, 'passed', now) };
  if (result.needsRehash) {
    // The reservation must not be left open when the upgrade fails.
    await upgradeHash(db, user, password, now).catch(async (err: unknown) => {
      await passed.finish();
      throw err;
    });
  }
  return passed;
}

async function recordFailure(ctx: RequestContext, attempt: Attempt): Promise<void> {
  const { db, meta, now } = ctx;
  const { user, identifier, target } = attempt;
  const outcome = await attempt.state.finishSignIn(attempt.reservation, 'failed', now);
  const failed = auditInsert(db, { type: 'login_failed', userId: user?.id, ...metaOf(meta), metadata: { reason: 'bad_credentials', via: identifier.kind, target }, at: now });
  if (outcome.justLocked) {
    const locked = auditInsert(db, { type: 'account_locked', userId: user?.id, ...metaOf(meta), metadata: { via: identifier.kind, known_account: Boolean(user) }, at: now });
    await db.batch([failed, locked]);
  } else {
    await failed;
  }
  if (outcome.justLocked && user) {
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

/** What assertCanSignIn would throw, or null when the account may sign in. */
export function signInRefusal(user: UserRow, config: Pick<Config, 'requireEmailVerification'>): ApiError | null {
  if (!user.isActive) return new ApiError('account_disabled');
  if (config.requireEmailVerification && user.email !== null && !user.emailVerified) return new ApiError('email_not_verified');
  return null;
}
