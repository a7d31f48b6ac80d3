/**
 * Login lockout, exact under concurrency: an attempt first reserves a slot, so that with
 * 5 failures allowed, 20 parallel wrong passwords get exactly 5 answers of 401 and 15 of
 * 423 — the slow password check runs outside the object, between reserve and finish.
 */
export interface LockoutState {
  failures: number;
  /** When the last of `failures` happened: a run of failures is forgotten after FAILURE_MEMORY_MS. */
  lastFailureAt?: number;
  lockedUntil: number | null;
  /** Reservation id -> started at. A reservation a crashed request never finished expires. */
  inflight: Record<string, number>;
}

export interface LockoutPolicy {
  threshold: number;
  lockMs: number;
}

/**
 * `busy`: not locked, but every remaining attempt is already in flight. The caller may
 * wait for those to finish (a success frees everything, failures lock) and ask again.
 * `byAdmin`: refused by an admin lock (admin-lock.ts), not by failures.
 */
export type Reservation = { ok: true; id: string } | { ok: false; retryAfter: number; busy: boolean; byAdmin?: boolean };
export interface FailureOutcome {
  locked: boolean;
  /** This failure started the lock: time for the notice mail and the audit event. */
  justLocked: boolean;
}

const RESERVATION_TTL_MS = 30_000;
/**
 * Failures that never reached the threshold are forgotten a day after the last one, for
 * accounts and for identifiers without one alike: so the stand-in objects of unknown
 * names can be deleted (object.ts alarm) without a lockout telling the two apart.
 */
export const FAILURE_MEMORY_MS = 24 * 3600_000;

export function emptyLockout(): LockoutState {
  return { failures: 0, lockedUntil: null, inflight: {} };
}

export function reserve(state: LockoutState, policy: LockoutPolicy, now: number): Reservation {
  pruneReservations(state, now);
  if (state.lockedUntil !== null && now >= state.lockedUntil) {
    // The lock ran out: a fresh run of attempts starts.
    state.lockedUntil = null;
    state.failures = 0;
  }
  if (state.lockedUntil === null && !failuresRemembered(state, now)) state.failures = 0;
  const pending = Object.keys(state.inflight).length;
  if (state.lockedUntil !== null) return { ok: false, retryAfter: seconds(state.lockedUntil - now), busy: false };
  if (state.failures + pending >= policy.threshold) return { ok: false, retryAfter: seconds(policy.lockMs), busy: true };
  const id = crypto.randomUUID();
  state.inflight[id] = now;
  return { ok: true, id };
}

export function fail(state: LockoutState, id: string, policy: LockoutPolicy, now: number): FailureOutcome {
  delete state.inflight[id];
  if (state.lockedUntil !== null && now < state.lockedUntil) return { locked: true, justLocked: false };
  state.failures += 1;
  state.lastFailureAt = now;
  if (state.failures >= policy.threshold) {
    state.lockedUntil = now + policy.lockMs;
    return { locked: true, justLocked: true };
  }
  return { locked: false, justLocked: false };
}

export function succeed(state: LockoutState, id: string): void {
  delete state.inflight[id];
  state.failures = 0;
  state.lockedUntil = null;
}

export function unlock(state: LockoutState): void {
  state.failures = 0;
  state.lockedUntil = null;
  state.inflight = {};
}

export function describeLockout(state: LockoutState, now: number) {
  const locked = state.lockedUntil !== null && now < state.lockedUntil;
  return {
    locked,
    failures: locked || (state.lockedUntil === null && failuresRemembered(state, now)) ? state.failures : 0,
    locked_until: locked ? new Date(state.lockedUntil!).toISOString() : null,
  };
}

/**
 * Until when the state still matters (a lock, a run of failures, a reservation), or null
 * when it could be forgotten now. Older state without lastFailureAt reads as long ago.
 */
export function liveUntil(state: LockoutState, now: number): number | null {
  const ends = Object.values(state.inflight).map((started) => started + RESERVATION_TTL_MS);
  // Failures under a lock are forgotten when it ends (reserve starts a fresh run).
  if (state.lockedUntil !== null) ends.push(state.lockedUntil);
  else if (state.failures > 0) ends.push((state.lastFailureAt ?? 0) + FAILURE_MEMORY_MS);
  const last = Math.max(...ends, -Infinity);
  return last > now ? last : null;
}

function failuresRemembered(state: LockoutState, now: number): boolean {
  return now - (state.lastFailureAt ?? 0) < FAILURE_MEMORY_MS;
}

function pruneReservations(state: LockoutState, now: number): void {
  for (const [id, started] of Object.entries(state.inflight)) {
    if (now - started > RESERVATION_TTL_MS || started > now + RESERVATION_TTL_MS) delete state.inflight[id];
  }
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
