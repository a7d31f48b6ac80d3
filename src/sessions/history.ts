import { and, desc, eq, gte, isNotNull } from 'drizzle-orm';
import type { RequestContext } from '../http/request-context';
import { sessionHistory, type SessionHistoryRow } from '../db/schema';
import type { SessionRecord } from '../accounts/state/sessions';

const DAY_MS = 86_400_000;
/** Ended sessions listed at most (newest first). */
export const ENDED_SESSIONS_LISTED = 100;

/**
 * Seconds a session was in use: from its start to its end, or, for one that expired
 * unused, to its last use (not to the expiry nobody saw); for an open one, to its last use.
 */
export function timeSpent(row: Pick<SessionHistoryRow, 'startedAt' | 'lastSeenAt' | 'endedAt' | 'endReason'>): number {
  const until = row.endedAt && row.endReason !== 'expired' ? row.endedAt : row.lastSeenAt;
  return Math.max(0, Math.floor((until.getTime() - row.startedAt.getTime()) / 1000));
}

/** An ended session as the session list shows it (API.md "Sessions and activity"). */
export function endedSession(row: SessionHistoryRow) {
  return {
    id: row.id,
    created_at: row.startedAt.toISOString(),
    last_seen_at: row.lastSeenAt.toISOString(),
    ip: row.ip,
    user_agent: row.userAgent,
    device: row.device,
    country: row.country,
    city: row.city,
    current: false,
    ended_at: row.endedAt?.toISOString() ?? null,
    end_reason: row.endReason,
    time_spent: timeSpent(row),
  };
}

/** A live session (from the object) with the fields ended ones have, for ?include=ended. */
export function liveSession(session: SessionRecord, currentId: string) {
  return {
    id: session.id,
    created_at: new Date(session.createdAt).toISOString(),
    last_seen_at: new Date(session.lastSeenAt).toISOString(),
    ip: session.ip,
    user_agent: session.userAgent,
    device: session.device,
    current: session.id === currentId,
    ended_at: null,
    end_reason: null,
    time_spent: Math.max(0, Math.floor((session.lastSeenAt - session.createdAt) / 1000)),
  };
}

/** The user's sessions that ended within the retention period, newest end first. */
export function endedSessionsOf(ctx: RequestContext, userId: string, limit = ENDED_SESSIONS_LISTED): Promise<SessionHistoryRow[]> {
  const since = new Date(ctx.now - ctx.config.sessionActivity.historyRetentionDays * DAY_MS);
  return ctx.db
    .select()
    .from(sessionHistory)
    .where(and(eq(sessionHistory.userId, userId), isNotNull(sessionHistory.endedAt), gte(sessionHistory.endedAt, since)))
    .orderBy(desc(sessionHistory.endedAt))
    .limit(limit);
}

/** Every history row of a user (open and ended), newest first: the admin's view. */
export function sessionHistoryOf(ctx: Pick<RequestContext, 'db'>, userId: string, limit = ENDED_SESSIONS_LISTED): Promise<SessionHistoryRow[]> {
  return ctx.db.select().from(sessionHistory).where(eq(sessionHistory.userId, userId)).orderBy(desc(sessionHistory.startedAt)).limit(limit);
}
