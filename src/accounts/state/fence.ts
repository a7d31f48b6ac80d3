/**
 * The freshness fence (storage-layout.ts KEYS.credentialFence). Sign-ins may decide on a
 * users row read from a D1 read replica, a few seconds behind the primary. Each change a
 * sign-in must never see stale (a replaced password, a deactivated or deleted account,
 * two-factor turned on, ...) raises the fence to the users.updated_at it wrote; a sign-in
 * hands the object the updated_at of the row it decided on (its stamp), and one older
 * than the fence is answered 'stale' before anything is counted, spent or opened. The
 * caller then reads the primary and tries once more.
 *
 * The fence is the written updated_at itself, not the time of a later moment (the call
 * that raises it comes after the D1 write): the fresh row carries exactly that value and
 * must pass, while every row from before the change is older. Stamps equal to the fence pass.
 */

/** The fence after a change that wrote `updatedAt` (ms): it only moves forward. */
export function raisedFence(current: number | undefined, updatedAt: number): number {
  return current === undefined ? updatedAt : Math.max(current, updatedAt);
}

/** True when a row written at `stamp` predates the fence. No stamp (a primary read, a stand-in): never stale. */
export function isStale(fence: number | undefined, stamp: number | undefined): boolean {
  return fence !== undefined && stamp !== undefined && stamp < fence;
}

/** What every fenced verb answers for a stale row: nothing happened. */
export interface StaleAnswer {
  outcome: 'stale';
}
