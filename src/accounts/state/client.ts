import type { Env } from '../../env';
import type { UserState, SignInResult } from './object';
import type { AdminLock } from './admin-lock';
import type { CodeAttempt } from './code-attempt';
import type { MfaChallenge } from './mfa-challenges';
import type { NewSession, SessionRecord } from './sessions';
import type { SecretRecord } from './secrets-ledger';
import type { MfaStep, SignInSettlement } from './sign-in-settlement';
import { OBJECT_NAMES } from './storage-layout';
import { markRevoked } from './revocation-marks';
import { createDb } from '../../db/client';
import type { SessionEndReason } from '../../db/schema';
import { historyEnded } from './session-history';
import { flushVerified, type VerifiedEntry } from './verified-outbox';
import type { Db } from '../../db/client';

export type { SignInResult, UserState } from './object';

type Stub = DurableObjectStub<UserState>;

/**
 * The per-user Durable Object (object.ts), in domain verbs: the one module that calls it.
 * Session revocation lives here once: the object forgets the session, then the global KV
 * mark (revocation-marks.ts) tells every location at once, and the D1 history
 * (session-history.ts) records when and why it ended.
 */
export class AccountState {
  constructor(
    private readonly env: Env,
    private readonly stub: Stub,
  ) {}

  // --- sign-in attempts, lockout, admin lock --------------------------------------------

  /** Reserves a sign-in attempt under the lockout (waiting inside the object for attempts in flight). */
  attemptSignIn(now: number) {
    return this.stub.attemptSignIn(now);
  }

  finishSignIn(attemptId: string, result: SignInResult, now: number) {
    return this.stub.finishSignIn(attemptId, result, now);
  }

  /**
   * A password checked outside, settled in one call (object.ts settleSignIn): the lockout
   * decides, the attempt counts, a right one opens its session or mfa_token challenge;
   * 'stale' when `stamp` predates the fence (nothing changed).
   */
  settleSignIn(attempt: SignInSettlement, now: number) {
    return this.stub.settleSignIn(attempt, now);
  }

  /**
   * A change a sign-in must not read stale wrote users.updated_at = `updatedAt` (ms): pass
   * the value written, not a later `now` (fence.ts). For changes that end no session;
   * those that do pass it to revokeSessions.
   */
  fenceCredentials(updatedAt: number) {
    return this.stub.raiseFence(updatedAt);
  }

  /** An admin lock until `lock.until`; replaces an earlier one. */
  lockFor(lock: AdminLock) {
    return this.stub.placeAdminLock(lock);
  }

  /** Admin unlock: the admin lock and the failure lockout; returns what there was. */
  unlock(now: number) {
    return this.stub.releaseAllLocks(now);
  }

  /** A proven mailbox (password reset) ends the failure lockout, never an admin lock; says whether it was locked. */
  clearFailures(now: number): Promise<{ wasLocked: boolean }> {
    return this.stub.clearFailures(now);
  }

  lockoutStatus(now: number) {
    return this.stub.lockoutStatus(now);
  }

  adminLockStatus(now: number) {
    return this.stub.adminLockStatus(now);
  }

  // --- sessions ---------------------------------------------------------------------

  openSession(input: NewSession, now: number) {
    return this.stub.openSession(input, now);
  }

  /**
   * Rotates a refresh token. A reused one kills its session: the KV mark then lasts as
   * long as the presented token could (`tokenExpiresAt`).
   */
  async rotate(token: { sessionId: string; generation: number; tokenExpiresAt: number }, client: { ip: string; userAgent: string | null }, now: number) {
    const outcome = await this.stub.refreshSession(token.sessionId, token.generation, client, now);
    if (!outcome.ok && outcome.reason === 'reuse') {
      await markRevoked(this.env, [{ id: token.sessionId, absoluteExpiresAt: token.tokenExpiresAt }], now);
      await historyEnded(createDb(this.env.DB), [token.sessionId], 'reuse', now);
    }
    return outcome;
  }

  /**
   * Moves a live session's idle expiry forward (never past its absolute end), without a
   * refresh token: the session, null when it is not live, or the admin lock that refuses it.
   */
  extendSession(sessionId: string, now: number) {
    return this.stub.extendSession(sessionId, now);
  }

  /** The session if it is open. */
  session(sessionId: string, now: number) {
    return this.stub.getSession(sessionId, now);
  }

  /** Open sessions, most recently used first. */
  sessions(now: number) {
    return this.stub.listSessions(now);
  }

  /** Revokes one session for `reason`; null when the account has no such session. */
  async revokeSession(sessionId: string, reason: SessionEndReason, now: number): Promise<SessionRecord | null> {
    const revoked = await this.stub.revokeSession(sessionId);
    if (revoked) await this.recordEnd([revoked], reason, now);
    return revoked;
  }

  /**
   * Revokes every session but `keep` (null: all) for `reason`; returns what was revoked.
   * `fence`: the users.updated_at the change wrote, when sign-ins must not read the row
   * from before it (fence.ts); raised in the same call.
   */
  async revokeSessions({ keep, reason, fence }: { keep: string | null; reason: SessionEndReason; fence?: number }, now: number): Promise<SessionRecord[]> {
    const revoked = await this.stub.revokeAllSessions(keep, fence);
    await this.recordEnd(revoked, reason, now);
    return revoked;
  }

  private async recordEnd(ended: SessionRecord[], reason: SessionEndReason, now: number): Promise<void> {
    await markRevoked(this.env, ended, now);
    await historyEnded(createDb(this.env.DB), ended.map((s) => s.id), reason, now);
  }

  // --- emailed one-time secrets -----------------------------------------------------

  /** Names the current generation of a purpose's secret: the previous one dies. */
  issueCode(purpose: string, record: Omit<SecretRecord, 'attempts' | 'consumed'>) {
    return this.stub.issueSecret(purpose, record);
  }

  attemptCode(attempt: CodeAttempt, now: number) {
    return this.stub.attemptCode(attempt, now);
  }

  consumeLink(purpose: string, generation: string, now: number) {
    return this.stub.consumeLink(purpose, generation, now);
  }

  /** A verification link, used in one call: a right one records the address as verified here (verified-outbox.ts). */
  consumeVerificationLink(purpose: string, generation: string, entry: VerifiedEntry, now: number) {
    return this.stub.consumeVerificationLink(purpose, generation, entry, now);
  }

  /**
   * Writes an address verified by the object to D1 (idempotent), then tells the object,
   * which keeps the entry until then: run after the answer. When it fails, the object's
   * alarm writes it.
   */
  async flushVerified(db: Db, entry: VerifiedEntry, now: number): Promise<void> {
    await flushVerified(db, entry);
    await this.stub.verifiedFlushed(entry.audit.id, now);
  }

  describeSecret(purpose: string, now: number) {
    return this.stub.describeSecret(purpose, now);
  }

  // --- second factor ----------------------------------------------------------------

  openMfaChallenge(tokenHash: string, challenge: Omit<MfaChallenge, 'attempts' | 'inflight'>, now: number) {
    return this.stub.openMfaChallenge(tokenHash, challenge, now);
  }

  /** `stamp`: as for settleSignIn; a stale row is answered { ok: false, reason: 'stale' }. */
  beginMfaAttempt(tokenHash: string, now: number, stamp?: number) {
    return this.stub.beginMfaAttempt(tokenHash, now, stamp);
  }

  /** A TOTP second factor in one call: token, fence, lockout, the step spent, the session opened (object.ts settleMfaStep). */
  settleMfaStep(step: MfaStep, now: number) {
    return this.stub.settleMfaStep(step, now);
  }

  finishMfaAttempt(tokenHash: string, attemptId: string, passed: boolean, now: number) {
    return this.stub.finishMfaAttempt(tokenHash, attemptId, passed, now);
  }

  abortMfaAttempt(tokenHash: string, attemptId: string) {
    return this.stub.abortMfaAttempt(tokenHash, attemptId);
  }

  /** True once per TOTP time step, and only for a step later than any before. */
  spendTotpStep(step: number) {
    return this.stub.useTotpStep(step);
  }

  forgetTotpSteps() {
    return this.stub.forgetTotpSteps();
  }

  /** Everything the object holds goes (account purge). */
  erase() {
    return this.stub.erase();
  }
}

/** The object of an account. */
export function accountState(env: Env, userId: string): AccountState {
  return new AccountState(env, userState(env, userId));
}

/**
 * The stand-in object for an identifier with no account: it locks out, and keeps a budget
 * of wrong emailed codes, exactly like a real one; its alarm deletes it once idle.
 */
export function standInState(env: Env, identifierHash: string): AccountState {
  return new AccountState(env, identifierState(env, identifierHash));
}

/** The raw stubs: for the verbs above, and for tests that look inside the object. */
export function userState(env: Env, userId: string): Stub {
  return env.USER_STATE.getByName(OBJECT_NAMES.user + userId);
}

export function identifierState(env: Env, identifierHash: string): Stub {
  return env.USER_STATE.getByName(OBJECT_NAMES.standIn + identifierHash);
}
