import { DurableObject } from 'cloudflare:workers';
import type { ConfigSource } from '../../config/source';
import { clock } from '../../clock';
import { timingSafeEqualStrings } from '../../crypto/hash';
import { getConfig } from '../../config/config';
import * as ledger from './secrets-ledger';
import * as lockout from './lockout';
import * as adminLock from './admin-lock';
import * as codeBudget from './code-budget';
import type { CodeAttempt, CodeAttemptResult, Verified } from './code-attempt';
import * as sessions from './sessions';
import * as mfaChallenges from './mfa-challenges';
import { statePolicies, type StatePolicies } from './policies';
import { isStale, raisedFence } from './fence';
import type { MfaStep, MfaStepSettled, SignInSettled, SignInSettlement } from './sign-in-settlement';
import { KEYS, OBJECT_NAMES, PREFIXES, migrate } from './storage-layout';
import * as outbox from './verified-outbox';
import { createDb } from '../../db/client';

/** Alarms fire a little after what they wait for, so that it has surely ended. */
const ALARM_SLACK_MS = 1000;
/** How long a sign-in waits for the attempts in flight before it is answered "locked". */
const BUSY_DEADLINE_MS = 10_000;

/** How a sign-in attempt ended: a first factor (password, code) or a second one. */
export type SignInResult = 'passed' | 'failed' | 'second_factor_passed' | 'second_factor_failed';

/**
 * One object per account (named by user id), and per normalized identifier for names
 * with no account. It serializes everything about the account that must be exact:
 * one-time secrets and the daily budget of wrong codes, login lockout and the admin
 * lock, and sessions with their refresh-token rotation. Its keys are listed in
 * storage-layout.ts; its rules come from the config (policies.ts).
 * All storage calls are synchronous (SQLite-backed KV), so no two requests interleave
 * inside a method, except where one waits on purpose (attemptSignIn).
 * Only client.ts calls it.
 */
export class UserState extends DurableObject<ConfigSource & outbox.OutboxBindings> {
  /** Sign-ins waiting for attempts in flight; woken whenever one ends. */
  private readonly waiters = new Set<() => void>();

  constructor(ctx: DurableObjectState, env: ConfigSource & outbox.OutboxBindings) {
    super(ctx, env);
    migrate(this.kv);
  }

  private get kv() {
    return this.ctx.storage.kv;
  }

  private get policies(): StatePolicies {
    return statePolicies(getConfig(this.env));
  }

  private get ledgerStore(): ledger.LedgerStore {
    return {
      get: (purpose) => this.kv.get<ledger.SecretRecord>(PREFIXES.secret + purpose),
      put: (purpose, record) => this.kv.put(PREFIXES.secret + purpose, record),
      delete: (purpose) => void this.kv.delete(PREFIXES.secret + purpose),
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
  async attemptCode(submitted: CodeAttempt, now: number): Promise<CodeAttemptResult> {
    const attempt = submitted.code === undefined ? submitted : await this.againstLedger(submitted, submitted.code);
    if (!attempt) return { outcome: 'unchecked' };
    // From here on nothing awaits: the judgement below is one step, whatever ran meanwhile
    // (a reissue since the hash was compared is judged by its generation, as ever).
    // A sign-in code judged on a stale row changes nothing: the caller reads the primary.
    if (this.isStale(attempt.stamp)) return { outcome: 'stale' };
    const rules = this.policies.codes;
    const log = this.kv.get<codeBudget.FailureLog>(KEYS.codeFailures) ?? codeBudget.emptyLog(rules.budget);
    const spentFor = codeBudget.spentFor(log, rules.budget, now);
    if (spentFor !== null) return { outcome: 'rate_limited', retryAfter: spentFor };
    const vouched = attempt.verifies !== undefined && outbox.vouchesFor(this.verifiedEntry, attempt.verifies.email);
    const judge = (spend: boolean) =>
      ledger.attemptCode(this.ledgerStore, attempt.purpose, attempt.generation, attempt.matched, rules.maxAttempts, now, {
        spend,
        acceptUsed: attempt.acceptUsed || vouched,
      });
    const held = attempt.wayIn && attempt.matched ? this.heldAdminLock(now) : null;
    if (held && judge(false) === 'ok') return { outcome: 'locked', retryAfter: adminLock.secondsLeft(held, now) };
    const outcome = judge(attempt.spend);
    if (outcome !== 'ok' && attempt.spend) {
      this.kv.put(KEYS.codeFailures, codeBudget.recordFailure(log, rules.budget, now));
      this.armStandInCleanup(now);
    }
    // A sign-in code that was spent opens its session in the same step (an admin lock
    // refused it above, unspent).
    if (outcome === 'ok' && attempt.spend && attempt.session) {
      const session = this.openSession(attempt.session, now);
      if (!('locked' in session)) return { outcome, session };
    }
    // A verification code spent here verifies the address in this same step (the outbox entry).
    if (outcome === 'ok' && attempt.spend && attempt.verifies) return { outcome, verified: vouched ? 'before' : this.recordVerified(attempt.verifies, now) };
    return { outcome };
  }

  /** `attempt` with the ledger's generation and whether `code` matches its hash; null when the ledger keeps no hash. */
  private async againstLedger(attempt: CodeAttempt, code: string): Promise<CodeAttempt | null> {
    const record = this.ledgerStore.get(attempt.purpose);
    if (!record) return { ...attempt, generation: null, matched: false };
    if (record.codeHash === undefined) return null;
    const matched = timingSafeEqualStrings(await ledger.ledgerCodeHash(record.generation, code), record.codeHash);
    return { ...attempt, generation: record.generation, matched };
  }

  consumeLink(purpose: string, generation: string, now: number): ledger.CodeOutcome {
    return ledger.consumeLink(this.ledgerStore, purpose, generation, now);
  }

  /**
   * A verification link used in one step: 'before' when this object vouches for the address
   * already (its link or code was used a moment ago), else the link is consumed and a right
   * one records the outbox entry in the same step.
   */
  consumeVerificationLink(purpose: string, generation: string, entry: outbox.VerifiedEntry, now: number): { outcome: ledger.CodeOutcome; verified?: Verified } {
    if (outbox.vouchesFor(this.verifiedEntry, entry.email)) return { outcome: 'ok', verified: 'before' };
    const outcome = ledger.consumeLink(this.ledgerStore, purpose, generation, now);
    return outcome === 'ok' ? { outcome, verified: this.recordVerified(entry, now) } : { outcome };
  }

  describeSecret(purpose: string, now: number): ledger.PendingSecret | null {
    return ledger.describe(this.ledgerStore, purpose, this.policies.codes.maxAttempts, now);
  }

  // --- sign-in attempts and the failure lockout ---------------------------------------

  /**
   * Every password or code check starts here: an admin lock refuses it before the
   * failure lockout is asked. While the remaining attempts are all in flight the answer
   * is not known yet: it waits for them (up to BUSY_DEADLINE_MS) rather than refuse, so
   * parallel sign-ins with the right password all get in, while parallel wrong ones still
   * stop at exactly the threshold.
   */
  async attemptSignIn(now: number): Promise<lockout.Reservation> {
    const deadline = Date.now() + BUSY_DEADLINE_MS;
    for (;;) {
      const reservation = this.reserve(now);
      const left = deadline - Date.now();
      if (reservation.ok || !reservation.busy || left <= 0) return reservation;
      await this.nextSettledAttempt(left);
    }
  }

  /**
   * Ends an attempt. A right password clears the failure count, except while wrong
   * second-factor codes are unresolved: a first factor alone must not wipe those, or
   * password + 4 wrong codes, repeated, would guess the second factor without ever
   * locking. A wrong second factor counts, and survives a later right password.
   */
  finishSignIn(reservation: string, result: SignInResult, now: number): lockout.FailureOutcome {
    const policy = this.policies.lockout;
    const unchanged = { locked: false, justLocked: false };
    switch (result) {
      case 'passed':
        if (this.kv.get<boolean>(KEYS.mfaFailures)) this.settleLockout((state) => void delete state.inflight[reservation]);
        else this.settleLockout((state) => lockout.succeed(state, reservation));
        return unchanged;
      case 'second_factor_passed':
        this.kv.delete(KEYS.mfaFailures);
        this.settleLockout((state) => lockout.succeed(state, reservation));
        return unchanged;
      case 'second_factor_failed':
        this.kv.put(KEYS.mfaFailures, true);
        return this.settleLockout((state) => lockout.fail(state, reservation, policy, now));
      case 'failed':
        return this.settleLockout((state) => lockout.fail(state, reservation, policy, now));
    }
  }

  /**
   * A password login in one call: the password was checked outside (the hash runs before,
   * not while an attempt is held), and here, in one step, the fence is asked, the lockout
   * decides (an admin lock or a lock answers 'locked', for a right password as for a wrong
   * one), the attempt ends as passed or failed, and a right one opens its session or its
   * mfa_token challenge. An attempt is in flight only inside this step, so lockout stays
   * exact: of parallel wrong passwords exactly `threshold` are answered 'failed'. While
   * attempts of the older verbs (attemptSignIn) hold every remaining slot, it waits for
   * them as attemptSignIn does.
   */
  async settleSignIn(attempt: SignInSettlement, now: number): Promise<SignInSettled> {
    const deadline = Date.now() + BUSY_DEADLINE_MS;
    for (;;) {
      if (this.isStale(attempt.stamp)) return { outcome: 'stale' };
      const reservation = this.reserve(now);
      if (reservation.ok) return this.settle(reservation.id, attempt, now);
      const left = deadline - Date.now();
      if (!reservation.busy || left <= 0) return { outcome: 'locked', retryAfter: reservation.retryAfter, byAdmin: reservation.byAdmin };
      await this.nextSettledAttempt(left);
    }
  }

  private settle(reservation: string, attempt: SignInSettlement, now: number): SignInSettled {
    if (!attempt.passed) return { outcome: 'failed', justLocked: this.finishSignIn(reservation, 'failed', now).justLocked };
    this.finishSignIn(reservation, 'passed', now);
    // An unverified row opens nothing unless this object verified the address (D1 is told just after).
    const verifiedHere = attempt.unverifiedEmail !== undefined && outbox.vouchesFor(this.verifiedEntry, attempt.unverifiedEmail);
    if (attempt.unverifiedEmail !== undefined && !verifiedHere) return { outcome: 'passed' };
    const vouched = verifiedHere ? { verifiedHere } : {};
    if (attempt.mfaChallenge) this.openMfaChallenge(attempt.mfaChallenge.tokenHash, attempt.mfaChallenge.challenge, now);
    if (!attempt.session) return { outcome: 'passed', ...vouched };
    // reserve() refused under an admin lock, and nothing awaited since: this opens.
    const session = this.openSession(attempt.session, now);
    if ('locked' in session) return { outcome: 'locked', retryAfter: session.retryAfter, byAdmin: true };
    return { outcome: 'passed', session, ...vouched };
  }

  /** Clears the failure lockout only (a successful password reset); an admin lock stays. */
  unlock(): void {
    this.kv.delete(KEYS.mfaFailures);
    this.settleLockout((state) => lockout.unlock(state));
  }

  /** unlock(), saying whether the failure lockout held: one call for a password reset. */
  clearFailures(now: number): { wasLocked: boolean } {
    const { locked } = this.lockoutStatus(now);
    this.unlock();
    return { wasLocked: locked };
  }

  lockoutStatus(now: number) {
    return lockout.describeLockout(this.kv.get<lockout.LockoutState>(KEYS.lockout) ?? lockout.emptyLockout(), now);
  }

  private reserve(now: number): lockout.Reservation {
    const held = this.heldAdminLock(now);
    if (held) return { ok: false, retryAfter: adminLock.secondsLeft(held, now), busy: false, byAdmin: true };
    const reservation = this.withLockout((state) => lockout.reserve(state, this.policies.lockout, now));
    this.armStandInCleanup(now);
    return reservation;
  }

  /** Resolves when an attempt in flight ends (or after `ms`): then a busy reservation may be asked again. */
  private nextSettledAttempt(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.waiters.add(wake);
    });
  }

  private withLockout<T>(change: (state: lockout.LockoutState) => T): T {
    const state = this.kv.get<lockout.LockoutState>(KEYS.lockout) ?? lockout.emptyLockout();
    const result = change(state);
    this.kv.put(KEYS.lockout, state);
    return result;
  }

  /** A change that ends attempts in flight: waiting sign-ins ask again. */
  private settleLockout<T>(change: (state: lockout.LockoutState) => T): T {
    const result = this.withLockout(change);
    for (const wake of [...this.waiters]) wake();
    return result;
  }

  // --- admin lock -------------------------------------------------------------------

  placeAdminLock(lock: adminLock.AdminLock): adminLock.AdminLockView {
    this.kv.put(KEYS.adminLock, lock);
    return adminLock.describeAdminLock(lock);
  }

  adminLockStatus(now: number): adminLock.AdminLockView {
    return adminLock.describeAdminLock(this.heldAdminLock(now));
  }

  /** Admin unlock: lifts an admin lock and the failure lockout at once; returns what there was. */
  releaseAllLocks(now: number) {
    const before = { adminLock: this.adminLockStatus(now), lockout: this.lockoutStatus(now) };
    this.kv.delete(KEYS.adminLock);
    this.unlock();
    return before;
  }

  /** The admin lock if it holds; one that ran out is forgotten. */
  private heldAdminLock(now: number): adminLock.AdminLock | null {
    const stored = this.kv.get<adminLock.AdminLock>(KEYS.adminLock);
    const held = adminLock.activeLock(stored, now);
    if (stored && !held) this.kv.delete(KEYS.adminLock);
    return held;
  }

  // --- two-factor -------------------------------------------------------------------

  openMfaChallenge(tokenHash: string, challenge: Omit<mfaChallenges.MfaChallenge, 'attempts' | 'inflight'>, now: number): void {
    mfaChallenges.open(this.challengeStore, tokenHash, challenge, now);
  }

  /** Starts one second-factor attempt on an mfa_token: the token must be live and idle, and the account not locked. */
  beginMfaAttempt(tokenHash: string, now: number, stamp?: number): mfaChallenges.AttemptStart | { ok: false; reason: 'stale' } {
    if (this.isStale(stamp)) return { ok: false, reason: 'stale' };
    const checked = mfaChallenges.check(this.challengeStore, tokenHash, this.policies.codes.maxAttempts, now);
    if (!checked.ok) return checked;
    const reservation = this.reserve(now);
    if (!reservation.ok) return { ok: false, reason: 'locked', retryAfter: reservation.retryAfter, byAdmin: reservation.byAdmin };
    mfaChallenges.markInflight(this.challengeStore, tokenHash, reservation.id, now);
    const { firstFactor, device } = checked.challenge;
    return { ok: true, attemptId: reservation.id, firstFactor, device };
  }

  /** Ends an attempt: a pass spends the token and clears the failure count; a miss counts toward both caps. */
  finishMfaAttempt(tokenHash: string, attemptId: string, passed: boolean, now: number): { outcome: mfaChallenges.AttemptOutcome; justLocked: boolean } {
    const outcome = mfaChallenges.finish(this.challengeStore, tokenHash, attemptId, passed, this.policies.codes.maxAttempts);
    if (outcome === 'gone') {
      this.settleLockout((state) => void delete state.inflight[attemptId]);
      return { outcome: 'invalid', justLocked: false };
    }
    if (outcome === 'ok') {
      this.finishSignIn(attemptId, 'second_factor_passed', now);
      return { outcome, justLocked: false };
    }
    return { outcome, justLocked: this.finishSignIn(attemptId, 'second_factor_failed', now).justLocked };
  }

  /**
   * A TOTP second factor in one call (beginMfaAttempt, spending the step, finishMfaAttempt
   * and openSession, with nothing between them): a stale row changes nothing; a dead or
   * busy token, or a lock, leaves the token and the step as they were; otherwise the
   * code's step is spent (a replay is a wrong code) and the attempt counts like any other.
   */
  settleMfaStep(step: MfaStep, now: number): MfaStepSettled {
    const start = this.beginMfaAttempt(step.tokenHash, now, step.stamp);
    if (!start.ok) {
      if (start.reason === 'stale') return { outcome: 'stale' };
      if (start.reason === 'locked') return { outcome: 'locked', retryAfter: start.retryAfter, byAdmin: start.byAdmin };
      return { outcome: start.reason === 'busy' ? 'busy' : 'token_invalid' };
    }
    const passed = step.totpStep !== null && this.useTotpStep(step.totpStep);
    const { outcome, justLocked } = this.finishMfaAttempt(step.tokenHash, start.attemptId, passed, now);
    if (outcome !== 'ok') return { outcome, reason: step.totpStep === null ? 'wrong' : 'replayed', justLocked };
    const input = { ...step.client, device: sessions.describeDevice(start.device, step.client.userAgent) };
    const session = this.openSession(input, now);
    // The reservation refused under an admin lock a moment ago, in this same step.
    if ('locked' in session) return { outcome: 'locked', retryAfter: session.retryAfter, byAdmin: true };
    return { outcome: 'ok', session, device: start.device, firstFactor: start.firstFactor };
  }

  /** Ends an attempt without counting it, e.g. when the request failed on our side. */
  abortMfaAttempt(tokenHash: string, attemptId: string): void {
    mfaChallenges.abort(this.challengeStore, tokenHash, attemptId);
    this.settleLockout((state) => void delete state.inflight[attemptId]);
  }

  /**
   * Spends a TOTP time step: true only for a step later than any spent before, so a code
   * works once (RFC 6238 §5.2), even when two requests race with it.
   */
  useTotpStep(step: number): boolean {
    const last = this.kv.get<number>(KEYS.totpStep);
    if (last !== undefined && step <= last) return false;
    this.kv.put(KEYS.totpStep, step);
    return true;
  }

  /** A new TOTP secret starts its own sequence of steps. */
  forgetTotpSteps(): void {
    this.kv.delete(KEYS.totpStep);
  }

  private get challengeStore(): mfaChallenges.ChallengeStore {
    return {
      get: (tokenHash) => this.kv.get<mfaChallenges.MfaChallenge>(PREFIXES.mfaChallenge + tokenHash),
      put: (tokenHash, challenge) => this.kv.put(PREFIXES.mfaChallenge + tokenHash, challenge),
      delete: (tokenHash) => void this.kv.delete(PREFIXES.mfaChallenge + tokenHash),
      entries: () =>
        [...this.kv.list<mfaChallenges.MfaChallenge>({ prefix: PREFIXES.mfaChallenge })].map(
          ([key, challenge]): [string, mfaChallenges.MfaChallenge] => [key.slice(PREFIXES.mfaChallenge.length), challenge],
        ),
    };
  }

  // --- sessions ---------------------------------------------------------------------

  /**
   * Opens a session, unless an admin lock holds: the last guard, for a sign-in that passed
   * its own check just before the lock was placed.
   */
  openSession(input: sessions.NewSession, now: number): sessions.SessionRecord | { locked: true; retryAfter: number } {
    const held = this.heldAdminLock(now);
    if (held) return { locked: true, retryAfter: adminLock.secondsLeft(held, now) };
    this.pruneSessions(now);
    const session = sessions.createSession(input, this.policies.sessions, now);
    this.kv.put(PREFIXES.session + session.id, session);
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
    now: number,
  ): sessions.RefreshOutcome | { ok: false; reason: 'locked'; retryAfter: number } {
    const key = PREFIXES.session + sessionId;
    const outcome = sessions.refresh(this.kv.get<sessions.SessionRecord>(key), generation, client, this.policies.sessions, now);
    if (!outcome.ok) {
      this.kv.delete(key);
      return outcome;
    }
    const held = this.heldAdminLock(now);
    if (held) return { ok: false, reason: 'locked', retryAfter: adminLock.secondsLeft(held, now) };
    this.kv.put(key, outcome.session);
    return outcome;
  }

  /**
   * Moves a live session's idle expiry forward (never past its absolute end): session
   * refresh and auto-renew. Refused, changing nothing, while an admin lock holds.
   */
  extendSession(sessionId: string, now: number): sessions.SessionRecord | { locked: true; retryAfter: number } | null {
    const key = PREFIXES.session + sessionId;
    const current = this.kv.get<sessions.SessionRecord>(key);
    if (!current || !sessions.isLive(current, now)) return null;
    const held = this.heldAdminLock(now);
    if (held) return { locked: true, retryAfter: adminLock.secondsLeft(held, now) };
    const extended = sessions.extend(current, this.policies.sessions, now);
    if (extended) this.kv.put(key, extended);
    return extended;
  }

  getSession(sessionId: string, now: number): sessions.SessionRecord | null {
    const session = this.kv.get<sessions.SessionRecord>(PREFIXES.session + sessionId);
    return session && sessions.isLive(session, now) ? session : null;
  }

  listSessions(now: number): sessions.SessionRecord[] {
    this.pruneSessions(now);
    return this.allSessions().sort((a, b) => b.lastSeenAt - a.lastSeenAt);
  }

  /** Returns the revoked session, or null when there was none (another user's id included). */
  revokeSession(sessionId: string): sessions.SessionRecord | null {
    const key = PREFIXES.session + sessionId;
    const session = this.kv.get<sessions.SessionRecord>(key) ?? null;
    if (session) this.kv.delete(key);
    return session;
  }

  /**
   * Revokes every session but `keep`; returns what was revoked. `fence`: the updated_at of
   * the change that ends them (fence.ts), raised first, so a sign-in after this call
   * cannot pass on a row from before the change, and one before it lost its session here.
   */
  revokeAllSessions(keep: string | null = null, fence?: number): sessions.SessionRecord[] {
    if (fence !== undefined) this.raiseFence(fence);
    const revoked = this.allSessions().filter((s) => s.id !== keep);
    for (const session of revoked) this.kv.delete(PREFIXES.session + session.id);
    return revoked;
  }

  // --- freshness fence (fence.ts) ------------------------------------------------------

  /** A change a sign-in must not read stale wrote users.updated_at = `updatedAt` (ms). */
  raiseFence(updatedAt: number): void {
    this.kv.put(KEYS.credentialFence, raisedFence(this.kv.get<number>(KEYS.credentialFence), updatedAt));
    // A change written after the flag (an admin's "unverified" among them) is what rows
    // say from now on: a flushed entry no longer vouches. A pending one must still reach D1.
    if (this.verifiedEntry?.flushedAt !== undefined) this.kv.delete(KEYS.verifiedOutbox);
  }

  // --- verified-email outbox (verified-outbox.ts) ---------------------------------------

  private get verifiedEntry(): outbox.VerifiedEntry | undefined {
    return this.kv.get<outbox.VerifiedEntry>(KEYS.verifiedOutbox);
  }

  /** Records the address as verified here, for D1 to learn after the answer; the alarm is the backstop. */
  private recordVerified(entry: outbox.VerifiedEntry, now: number): 'now' {
    this.kv.put(KEYS.verifiedOutbox, { ...entry, flushedAt: undefined, tries: 0 });
    void this.armAlarmBy(now + outbox.FIRST_CHECK_MS, now);
    return 'now';
  }

  /** D1 has the entry whose audit row is `auditId` (the Worker wrote it after the answer): kept a little longer, then dropped. */
  verifiedFlushed(auditId: string, now: number): void {
    const entry = this.verifiedEntry;
    if (!entry || entry.audit.id !== auditId || entry.flushedAt !== undefined) return;
    this.kv.put(KEYS.verifiedOutbox, { ...entry, flushedAt: now });
  }

  /** What the outbox asks of the alarm: the entry written to D1 if it is pending, dropped after its grace; when to look again. */
  private async settleOutbox(now: number): Promise<number | null> {
    const entry = this.verifiedEntry;
    if (!entry) return null;
    if (entry.flushedAt !== undefined) {
      const until = entry.flushedAt + outbox.FLUSHED_GRACE_MS;
      if (now < until) return until;
      this.kv.delete(KEYS.verifiedOutbox);
      return null;
    }
    try {
      await outbox.flushVerified(createDb(this.env.DB), entry);
    } catch (err) {
      // Kept: the next alarm tries again, later each time.
      const tries = (entry.tries ?? 0) + 1;
      console.error('verified-email flush failed; retrying', { user_id: entry.userId, tries, error: String(err) });
      if (this.verifiedEntry?.audit.id === entry.audit.id) this.kv.put(KEYS.verifiedOutbox, { ...this.verifiedEntry, tries });
      return now + outbox.retryDelay(tries);
    }
    // The Worker may have told the object meanwhile: either way it is flushed now.
    this.verifiedFlushed(entry.audit.id, now);
    const after = this.verifiedEntry;
    if (!after) return null;
    // A newer entry recorded while D1 was written is still pending.
    return after.flushedAt === undefined ? now + outbox.FIRST_CHECK_MS : after.flushedAt + outbox.FLUSHED_GRACE_MS;
  }

  private isStale(stamp: number | undefined): boolean {
    return isStale(this.kv.get<number>(KEYS.credentialFence), stamp);
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
    const outboxNext = await this.settleOutbox(now);
    const next = Math.min(...this.allSessions().map((s) => s.expiresAt), outboxNext ?? Infinity);
    if (Number.isFinite(next)) await this.armAlarm(next, now, true);
  }

  private get isStandIn(): boolean {
    return this.ctx.id.name?.startsWith(OBJECT_NAMES.standIn) ?? false;
  }

  /** When the last live thing in a stand-in ends, or null when nothing is live. */
  private standInLiveUntil(now: number): number | null {
    const lockoutState = this.kv.get<lockout.LockoutState>(KEYS.lockout);
    const failureLog = this.kv.get<codeBudget.FailureLog>(KEYS.codeFailures);
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

  /** Makes sure an alarm fires by `at` (app clock): one set later (a session's expiry) is brought forward. */
  private async armAlarmBy(at: number, now: number): Promise<void> {
    const due = Date.now() + Math.max(0, at - now) + ALARM_SLACK_MS;
    const set = await this.ctx.storage.getAlarm();
    if (set === null || set > due) await this.ctx.storage.setAlarm(due);
  }

  private allSessions(): sessions.SessionRecord[] {
    return [...this.kv.list<sessions.SessionRecord>({ prefix: PREFIXES.session })].map(([, s]) => s);
  }

  private pruneSessions(now: number): void {
    for (const session of this.allSessions()) {
      if (!sessions.isLive(session, now)) this.kv.delete(PREFIXES.session + session.id);
    }
  }
}
