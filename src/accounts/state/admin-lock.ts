/**
 * An admin lock: staff decided the account may not get in until `until`, whatever
 * password or code is offered. It lives under its own key in the user's Durable Object,
 * apart from the failure lockout (lockout.ts), so nothing that clears failures (a right
 * password, a password reset) can lift it; only its end or an admin unlock does.
 */
export interface AdminLock {
  until: number;
  lockedAt: number;
  /** Who locked it, as they were then (the email is kept so the page can say who). */
  actor: { id: string; email: string | null };
  reason: string | null;
}

/** The lock if it still holds at `now`. */
export function activeLock(lock: AdminLock | undefined, now: number): AdminLock | null {
  return lock && now < lock.until ? lock : null;
}

/** Retry-After, in whole seconds (at least 1), until the lock ends. */
export function secondsLeft(lock: AdminLock, now: number): number {
  return Math.max(1, Math.ceil((lock.until - now) / 1000));
}

/** What admins see: null when no lock holds. */
export function describeAdminLock(lock: AdminLock | null) {
  if (!lock) return null;
  return {
    locked_until: new Date(lock.until).toISOString(),
    locked_at: new Date(lock.lockedAt).toISOString(),
    locked_by: lock.actor,
    reason: lock.reason,
  };
}
export type AdminLockView = ReturnType<typeof describeAdminLock>;
