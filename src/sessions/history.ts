import type { RequestContext } from '../http/request-context';
import type { SessionRecord } from '../accounts/state/sessions';
import { endedSessionsOf, historyEntry } from '../accounts/state/session-history';

const DAY_MS = 86_400_000;

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

/** The user's sessions that ended within the retention period (RETENTION_SESSION_HISTORY_DAYS), as listed. */
export async function endedSessions(ctx: RequestContext, userId: string) {
  const since = ctx.now - ctx.config.sessionActivity.historyRetentionDays * DAY_MS;
  return (await endedSessionsOf(ctx.db, userId, since)).map((row) => ({ ...historyEntry(row), current: false }));
}
