import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { dailyActivity } from '../db/schema';

/** The counters of a daily-activity row. */
export type ActivityKind = 'seen' | 'logins' | 'posts' | 'interactions' | 'clientEvents';
export type ActivityCounts = Partial<Record<ActivityKind, number>>;

/** The UTC day (YYYY-MM-DD) an instant falls on. */
export function utcDay(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/**
 * One statement that adds `counts` to the user's row of that day, creating it if absent.
 * Additive upsert on the (user_id, day) key, so concurrent requests never lose a count;
 * returned unexecuted so callers put it in the batch of the write it belongs to.
 */
export function addActivity(db: Db, userId: string, at: number, counts: ActivityCounts) {
  const row = {
    userId,
    day: utcDay(at),
    seen: counts.seen ?? 0,
    logins: counts.logins ?? 0,
    posts: counts.posts ?? 0,
    interactions: counts.interactions ?? 0,
    clientEvents: counts.clientEvents ?? 0,
  };
  return db
    .insert(dailyActivity)
    .values(row)
    .onConflictDoUpdate({
      target: [dailyActivity.userId, dailyActivity.day],
      set: {
        seen: sql`${dailyActivity.seen} + excluded.seen`,
        logins: sql`${dailyActivity.logins} + excluded.logins`,
        posts: sql`${dailyActivity.posts} + excluded.posts`,
        interactions: sql`${dailyActivity.interactions} + excluded.interactions`,
        clientEvents: sql`${dailyActivity.clientEvents} + excluded.client_events`,
      },
    });
}
