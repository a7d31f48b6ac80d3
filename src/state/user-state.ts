import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env';
import { clock } from '../clock';
import * as ledger from './secrets-ledger';
import * as lockout from './lockout';
import * as adminLock from './admin-lock';
import * as codeBudget from './code-budget';
import type { CodeAttempt, CodeAttemptResult, CodeRules } from './code-attempt';
import * as sessions from './sessions';
import * as mfaChallenges from '../mfa/challenge-ledger';

const LOCKOUT_KEY = 'lockout';
const ADMIN_LOCK_KEY = 'admin_lock';
const CODE_FAILURES_KEY = 'code_failures';
const SESSION_PREFIX = 'session:';
const TOTP_STEP_KEY = 'mfa:last_totp_step';
/** Set by a wrong second factor, cleared by a right one (or an unlock): see succeedLogin. */
const MFA_FAILURES_KEY = 'mfa:unresolved_failures';
const STAND_IN_PREFIX = 'identifier:';
/** Alarms fire a little after what they wait for, so that it has surely ended. */
const ALARM_SLACK_MS = 1000;

/**
 * One object per account (named by user id), and per normalized identifier for names
 * with no account. It serializes everything about the account that must be exact:
 * one-time secrets and the daily budget of wrong codes, login lockout and the admin
 * lock, and sessions with their refresh-token rotation.
 * All storage calls are synchronous (SQLite-backed KV), so no two requests interleave
 * inside a method.
 */
export class UserState extends DurableObject<Env> {
  private get kv() {
    return this.ctx.storage.kv;
  }

  private get ledgerStore(): ledger.LedgerStore {
    return {
      get: (k) => this.kv.get<ledger.SecretRecord>(k),
      put: (k, v) => this.kv.put(k, v),
      delete: (k) => void this.kv.delete(k),
    };
  }

  // --- one-time secrets -------------------------------------------------------------

  issueSecret(purpose: string, record: Omit<ledger.SecretRecord, 'attempts' | 'consumed'>): void {
    ledger.issue(this.ledgerStore, purpose, record);
  }

  /**
   * Judges one emailed code in one step, so parallel submissions are counted exactly:
   * a spent daily budget refuses even the right code; a right sign-in or reset code is
   * refused unspent while an admin lock holds; otherwise the ledger decides, and every
   * answer but 'ok' costs the budget one wrong code.
   */
  attemptCode(attempt: CodeAttempt, rules: CodeRules, now: number): CodeAttemptResult {
    const log = this.kv.get<codeBudget.FailureLog>(CODE_FAILURES_KEY) ?? codeBudget.emptyLog(rules.budget);
    const spentFor = codeBudget.spentFor(log, rules.budget, now);
    if (spentFor !== null) return { outcome: 'rate_limited', retryAfter: spentFor };
    const judge = (spend: boolean) =>
      ledger.attemptCode(this.ledgerStore, attempt.purpose, attempt.generation, attempt.matched, rules.maxAttempts, now, {
        spend,
        acceptUsed: attempt.acceptUsed,
      });
    const held = attempt.wayIn && attempt.matched ? this.heldAdminLock(now) : null;
    if (held && judge(false) === 'ok') return { outcome: 'locked', retryAfter: adminLock.secondsLeft(held, now) };
    const outcome = judge(attempt.spend);
    if (outcome !== 'ok' && attempt.spend) {
      this.kv.put(CODE_FAILURES_KEY, codeBudget.recordFailure(log, rules.budget, now));
      this.armStandInCleanup(now);
    }
    return { outcome };
  }

  consumeLink(purpose: string, generation: string, now: number): ledger.CodeOutcome {
    return ledger.consumeLink(this.ledgerStore, purpose, generation, now);
  }

  describeSecret(purpose: string, maxAttempts: number, now: number): ledger.PendingSecret | null {
    return ledger.describe(this.ledgerStore, purpose, maxAttempts, now);
  }

  revokeSecret(purpose: string): void {
    ledger.revoke(this.ledgerStore, purpose);
  }

  // --- lockout ----------------------------------------------------------------------

  /** Every password check starts here: an admin lock refuses it before the failure lockout is asked. */
  beginLogin(policy: lockout.LockoutPolicy, now: number): lockout.Reservation {
    const held = this.heldAdminLock(now);
    if (held) return { ok: false, retryAfter: adminLock.secondsLeft(held, now), busy: false, byAdmin: true };
    const reservation = this.withLockout((state) => lockout.reserve(state, policy, now));
    this.armStandInCleanup(now);
    return reservation;
  }

  failLogin(reservation: string, policy: lockout.LockoutPolicy, now: number): lockout.FailureOutcome {
    return this.withLockout((state) => lockout.fail(state, reservation, policy, now));
  }

  /**
   * A right password. It clears the failure count, except while wrong second-factor codes
   * are unresolved: a first factor alone must not wipe those, or password + 4 wrong codes,
   * repeated, would guess the second factor without ever locking.
   */
  succeedLogin(reservation: string): void {
    if (this.kv.get<boolean>(MFA_FAILURES_KEY)) this.withLockout((state) => void delete state.inflight[reservation]);
    else this.withLockout((state) => lockout.succeed(state, reservation));
  }

  /** Clears the failure lockout only (a successful password reset); an admin lock stays. */
  unlock(): void {
    this.kv.delete(MFA_FAILURES_KEY);
    this.withLockout((state) => lockout.unlock(state));
  }

  lockoutStatus(now: number) {
    return lockout.describeLockout(this.kv.get<lockout.LockoutState>(LOCKOUT_KEY) ?? lockout.emptyLockout(), now);
  }

  // --- admin lock -------------------------------------------------------------------

  placeAdminLock(lock: adminLock.AdminLock): adminLock.AdminLockView {
    this.kv.put(ADMIN_LOCK_KEY, lock);
    return adminLock.describeAdminLock(lock);
  }

  adminLockStatus(now: number): adminLock.AdminLockView {
    return adminLock.describeAdminLock(this.heldAdminLock(now));
  }

  /** Admin unlock: lifts an admin lock and the failure lockout at once; returns what there was. */
  releaseAllLocks(now: number) {
    const before = { adminLock: this.adminLockStatus(now), lockout: this.lockoutStatus(now) };
    this.kv.delete(ADMIN_LOCK_KEY);
    this.unlock();
    return before;
  }

  /** The admin lock if it holds; one that ran out is forgotten. */
  private heldAdminLock(now: number): adminLock.AdminLock | null {
    const stored = this.kv.get<adminLock.AdminLock>(ADMIN_LOCK_KEY);
    const held = adminLock.activeLock(stored, now);
    if (stored && !held) this.kv.delete(ADMIN_LOCK_KEY);
    return held;
  }

  private withLockout<T>(change: (state: lockout.LockoutState) => T): T {
    const state = this.kv.get<lockout.LockoutState>(LOCKOUT_KEY) ?? lockout.emptyLockout();
    const result = change(state);
    this.kv.put(LOCKOUT_KEY, state);
    return result;
  }

  // --- two-factor -------------------------------------------------------------------

  openMfaChallenge(tokenHash: string, challenge: Omit<mfaChallenges.MfaChallenge, 'attempts' | 'inflight'>, now: number): void {
    mfaChallenges.open(this.challengeStore, tokenHash, challenge, now);
  }

  /** Starts one second-factor attempt on an mfa_token: the token must be live and idle, and the account not locked. */
  beginMfaAttempt(tokenHash: string, policy: lockout.LockoutPolicy, maxAttempts: number, now: number): mfaChallenges.AttemptStart {
    const checked = mfaChallenges.check(this.challengeStore, tokenHash, maxAttempts, now);
    if (!checked.ok) return checked;
    const reservation = this.beginLogin(policy, now);
    if (!reservation.ok) return { ok: false, reason: 'locked', retryAfter: reservation.retryAfter, byAdmin: reservation.byAdmin };
    mfaChallenges.markInflight(this.challengeStore, tokenHash, reservation.id, now);
    const { firstFactor, device } = checked.challenge;
    return { ok: true, attemptId: reservation.id, firstFactor, device };
  }

  /** Ends an attempt: a pass spends the token and clears the failure count; a miss counts toward both caps. */
  finishMfaAttempt(
    tokenHash: string,
    attemptId: string,
    passed: boolean,
    policy: lockout.LockoutPolicy,
    maxAttempts: number,
    now: number,
  ): { outcome: mfaChallenges.AttemptOutcome; justLocked: boolean } {
    const outcome = mfaChallenges.finish(this.challengeStore, tokenHash, attemptId, passed, maxAttempts);
    if (outcome === 'gone') {
      this.withLockout((state) => void delete state.inflight[attemptId]);
      return { outcome: 'invalid', justLocked: false };
    }
    if (outcome === 'ok') {
      this.succeedSecondFactor(attemptId);
      return { outcome, justLocked: false };
    }
    return { outcome, justLocked: this.failSecondFactor(attemptId, policy, now).justLocked };
  }

  /** A wrong second factor under a lockout reservation: counts, and survives a later right password. */
  failSecondFactor(reservation: string, policy: lockout.LockoutPolicy, now: number): lockout.FailureOutcome {
    this.kv.put(MFA_FAILURES_KEY, true);
    return this.withLockout((state) => lockout.fail(state, reservation, policy, now));
  }

  /** Both factors right: the failure count starts over. */
  succeedSecondFactor(reservation: string): void {
    this.kv.delete(MFA_FAILURES_KEY);
    this.withLockout((state) => lockout.succeed(state, reservation));
  }

  /** Ends an attempt without counting it, e.g. when the request failed on our side. */
  abortMfaAttempt(tokenHash: string, attemptId: string): void {
    mfaChallenges.abort(this.challengeStore, tokenHash, attemptId);
    this.withLockout((state) => void delete state.inflight[attemptId]);
  }

  /**
   * Spends a TOTP time step: true only for a step later than any spent before, so a code
   * works once (RFC 6238 §5.2), even when two requests race with it.
   */
  useTotpStep(step: number): boolean {
    const last = this.kv.get<number>(TOTP_STEP_KEY);
    if (last !== undefined && step <= last) return false;
    this.kv.put(TOTP_STEP_KEY, step);
    return true;
  }

  /** A new TOTP secret starts its own sequence of steps. */
  forgetTotpSteps(): void {
    this.kv.delete(TOTP_STEP_KEY);
  }

  private get challengeStore(): mfaChallenges.ChallengeStore {
    return {
      get: (k) => this.kv.get<mfaChallenges.MfaChallenge>(k),
      put: (k, v) => this.kv.put(k, v),
      delete: (k) => void this.kv.delete(k),
      entries: (prefix) => this.kv.list<mfaChallenges.MfaChallenge>({ prefix }),
    };
  }

  // --- sessions ---------------------------------------------------------------------

  /**
   * Opens a session, unless an admin lock holds: the last guard, for a sign-in that passed
   * its own check just before the lock was placed.
   */
  openSession(input: sessions.NewSession, policy: sessions.SessionPolicy, now: number): sessions.SessionRecord | { locked: true; retryAfter: number } {
    const held = this.heldAdminLock(now);
    if (held) return { locked: true, retryAfter: adminLock.secondsLeft(held, now) };
    this.pruneSessions(now);
    const session = sessions.createSession(input, policy, now);
    this.kv.put(SESSION_PREFIX + session.id, session);
    void this.armAlarm(session.expiresAt, now);
    return session;
  }

  /**
   * Rotates a refresh token. While an admin lock holds, a refresh that would succeed is
   * refused and changes nothing (the session lives on for after the lock); reuse and
   * expiry are still acted on.
   */
  refreshSession(
    sessionId: string,
    generation: number,
    client: { ip: string; userAgent: string | null },
    policy: sessions.SessionPolicy,
    now: number,
  ): sessions.RefreshOutcome | { ok: false; reason: 'locked'; retryAfter: number } {
    const key = SESSION_PREFIX + sessionId;
    const outcome = sessions.refresh(this.kv.get<sessions.SessionRecord>(key), generation, client, policy, now);
    if (!outcome.ok) {
      this.kv.delete(key);
      return outcome;
    }
    const held = this.heldAdminLock(now);
    if (held) return { ok: false, reason: 'locked', retryAfter: adminLock.secondsLeft(held, now) };
    this.kv.put(key, outcome.session);
    return outcome;
  }

  getSession(sessionId: string, now: number): sessions.SessionRecord | null {
    const session = this.kv.get<sessions.SessionRecord>(SESSION_PREFIX + sessionId);
    return session && sessions.isLive(session, now) ? session : null;
  }

  listSessions(now: number): sessions.SessionRecord[] {
    this.pruneSessions(now);
    return this.allSessions().sort((a, b) => b.lastSeenAt - a.lastSeenAt);
  }

  /** Returns the revoked session, or null when there was none (another user's id included). */
  revokeSession(sessionId: string): sessions.SessionRecord | null {
    const key = SESSION_PREFIX + sessionId;
    const session = this.kv.get<sessions.SessionRecord>(key) ?? null;
    if (session) this.kv.delete(key);
    return session;
  }

  /** Revokes every session but `keep`; returns what was revoked. */
  revokeAllSessions(keep: string | null = null): sessions.SessionRecord[] {
    const revoked = this.allSessions().filter((s) => s.id !== keep);
    for (const session of revoked) this.kv.delete(SESSION_PREFIX + session.id);
    return revoked;
  }

  /** Erases everything this object holds (account purge). */
  async erase(): Promise<void> {
    await this.ctx.storage.deleteAll();
  }

  // --- cleanup ----------------------------------------------------------------------

  /**
   * A stand-in (an identifier with no account) is deleted outright once nothing in it is
   * live: no lockout or run of failures, no reservation, no wrong code inside the budget
   * window. It is re-created, empty, by the next attempt on that name, so nothing can be
   * told from its absence. An account's object keeps its state and only drops expired
   * sessions. Either way the alarm is set again for whatever is still live.
   */
  override async alarm(): Promise<void> {
    const now = clock.now();
    if (this.isStandIn) {
      const until = this.standInLiveUntil(now);
      if (until !== null) return this.armAlarm(until, now, true);
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
      return;
    }
    this.pruneSessions(now);
    const next = Math.min(...this.allSessions().map((s) => s.expiresAt));
    if (Number.isFinite(next)) await this.armAlarm(next, now, true);
  }

  private get isStandIn(): boolean {
    return this.ctx.id.name?.startsWith(STAND_IN_PREFIX) ?? false;
  }

  /** When the last live thing in a stand-in ends, or null when nothing is live. */
  private standInLiveUntil(now: number): number | null {
    const lockoutState = this.kv.get<lockout.LockoutState>(LOCKOUT_KEY);
    const failureLog = this.kv.get<codeBudget.FailureLog>(CODE_FAILURES_KEY);
    const ends = [lockoutState && lockout.liveUntil(lockoutState, now), failureLog && codeBudget.liveUntil(failureLog, now)];
    const live = ends.filter((end): end is number => typeof end === 'number');
    return live.length ? Math.max(...live) : null;
  }

  private armStandInCleanup(now: number): void {
    if (!this.isStandIn) return;
    const until = this.standInLiveUntil(now);
    if (until !== null) void this.armAlarm(until, now);
  }

  /**
   * Makes sure an alarm is set, for `at` (app clock) if none is (or `replace`): an earlier
   * one finds the state still live and sets itself again, so one alarm at a time is enough.
   * The app clock only says how long to wait; alarms run on real time.
   */
  private async armAlarm(at: number, now: number, replace = false): Promise<void> {
    if (!replace && (await this.ctx.storage.getAlarm()) !== null) return;
    await this.ctx.storage.setAlarm(Date.now() + Math.max(0, at - now) + ALARM_SLACK_MS);
  }

  private allSessions(): sessions.SessionRecord[] {
    return [...this.kv.list<sessions.SessionRecord>({ prefix: SESSION_PREFIX })].map(([, s]) => s);
  }

  private pruneSessions(now: number): void {
    for (const session of this.allSessions()) {
      if (!sessions.isLive(session, now)) this.kv.delete(SESSION_PREFIX + session.id);
    }
  }
}

export function userState(env: Env, userId: string): DurableObjectStub<UserState> {
  return env.USER_STATE.getByName(`user:${userId}`);
}

/**
 * The stand-in object for an identifier with no account: it locks out, and keeps a budget
 * of wrong emailed codes, exactly like a real one; its alarm deletes it once idle.
 */
export function identifierState(env: Env, identifierHash: string): DurableObjectStub<UserState> {
  return env.USER_STATE.getByName(`${STAND_IN_PREFIX}${identifierHash}`);
}
