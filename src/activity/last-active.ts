import { and, eq, isNull, lte, or } from 'drizzle-orm';
import type { Db } from '../db/client';
import { profiles, sessionHistory } from '../db/schema';
import { addActivity } from './daily-activity';
import { IntervalGate } from '../isolate/interval-gate';

/** last_active moves at most this often per user (API.md: once a minute). */
export const LAST_ACTIVE_INTERVAL_MS = 60_000;

/** When this isolate last wrote each user's last_active (a shortcut: D1's condition is the rule). */
const isolateGate = new IntervalGate(LAST_ACTIVE_INTERVAL_MS);

/**
 * Whether this isolate should try a last_active write for the user now, and if so notes
 * it at once, so concurrent requests in one isolate try once. The price of an ordinary
 * authenticated request is this map look-up.
 */
export function claimLastActiveWrite(userId: string, now: number, gate: IntervalGate = isolateGate): boolean {
  return gate.claim(userId, now);
}

/**
 * Moves the user's last_active to `now` unless it moved within the last minute, by a
 * conditional UPDATE, so many isolates together still write at most once a minute per
 * user. Only when it moved: the day's `seen` count goes up and the session's history row
 * records the use. Returns whether it moved.
 */
export async function recordLastActive(db: Db, userId: string, sessionId: string, now: number): Promise<boolean> {
  const at = new Date(now);
  const moved = await db
    .update(profiles)
    .set({ lastActive: at })
    .where(and(eq(profiles.userId, userId), or(isNull(profiles.lastActive), lte(profiles.lastActive, new Date(now - LAST_ACTIVE_INTERVAL_MS)))))
    .returning({ userId: profiles.userId });
  if (!moved.length) return false;
  await db.batch([
    addActivity(db, userId, now, { seen: 1 }),
    db
      .update(sessionHistory)
      .set({ lastSeenAt: at })
      .where(and(eq(sessionHistory.id, sessionId), eq(sessionHistory.userId, userId), isNull(sessionHistory.endedAt))),
  ]);
  return true;
}
