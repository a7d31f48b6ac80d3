import { and, desc, eq, gte, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { runStatement, statement } from '../../db/statement';
import { sessionHistory, type SessionEndReason, type SessionHistoryRow } from '../../db/schema';
import type { SessionRecord } from './sessions';
import { IntervalGate } from '../../isolate/interval-gate';

/**
 * The D1 mirror of sessions (table session_history): the object is the authority on
 * whether a session is live; the mirror remembers sessions after they end, for the user's
 * "ended sessions" list, the admin user page and the session analytics job.
 */

/** What a sign-in knows of where and on what a session started. */
export interface SessionOrigin {
  deviceType: string;
  browser: string;
  os: string;
  country: string;
  city: string;
  colo: string;
}

/** The row of a new session, unexecuted: it goes in the sign-in batch. */
export function historyStart(db: Db, userId: string, session: SessionRecord, origin: SessionOrigin) {
  return db
    .insert(sessionHistory)
    .values({
      id: session.id,
      userId,
      startedAt: new Date(session.createdAt),
      lastSeenAt: new Date(session.lastSeenAt),
      expiresAt: new Date(session.expiresAt),
      absoluteExpiresAt: new Date(session.absoluteExpiresAt),
      ip: session.ip,
      userAgent: session.userAgent,
      device: session.device,
      ...origin,
    })
    .onConflictDoNothing();
}

/** Placeholders are bound as they are: the two times in ms, as timestamp columns store them. */
const seenStatement = statement<{ id: string; lastSeenAt: number; expiresAt: number }>((qb) =>
  qb
    .update(sessionHistory)
    .set({
      lastSeenAt: sql`${sql.placeholder('lastSeenAt')}`,
      expiresAt: sql`${sql.placeholder('expiresAt')}`,
      endedAt: sql`CASE WHEN ${sessionHistory.endReason} = 'expired' THEN NULL ELSE ${sessionHistory.endedAt} END`,
      endReason: sql`CASE WHEN ${sessionHistory.endReason} = 'expired' THEN NULL ELSE ${sessionHistory.endReason} END`,
    })
    .where(and(eq(sessionHistory.id, sql.placeholder('id')), sql`(${sessionHistory.endedAt} IS NULL OR ${sessionHistory.endReason} = 'expired')`)),
);

/**
 * The mirror's "last seen" moves at most once a minute per session in an isolate, the
 * resolution last_active has: a client refreshing in a loop does not write D1's primary on
 * every refresh. The expiry it mirrors may then lag the object's by under a minute.
 */
export const HISTORY_SEEN_INTERVAL_MS = 60_000;
const seenGate = new IntervalGate(HISTORY_SEEN_INTERVAL_MS);

/**
 * A session was used or extended: its last use and expiry move. A row the analytics job
 * closed as expired from a stale expiry (the session was extended but that write was
 * lost, or held back by the gate) is reopened: the object said the session is live.
 */
export function historySeen(db: Db, session: Pick<SessionRecord, 'id' | 'lastSeenAt' | 'expiresAt'>, gate: IntervalGate = seenGate): Promise<unknown> {
  if (!gate.claim(session.id, session.lastSeenAt)) return Promise.resolve();
  // Its text is built once (db/statement.ts): every refresh and renewal writes it.
  return runStatement(db, seenStatement, { id: session.id, lastSeenAt: session.lastSeenAt, expiresAt: session.expiresAt });
}

/** Bound parameters per statement stay well under D1's 100. */
const IDS_PER_STATEMENT = 90;

/** Marks sessions ended now (only those not ended already: the first reason stands). */
export async function historyEnded(db: Db, sessionIds: string[], reason: SessionEndReason, now: number): Promise<void> {
  if (!sessionIds.length) return;
  const statements = [];
  for (let i = 0; i < sessionIds.length; i += IDS_PER_STATEMENT) {
    const ids = sessionIds.slice(i, i + IDS_PER_STATEMENT);
    statements.push(
      db
        .update(sessionHistory)
        .set({ endedAt: new Date(now), endReason: reason })
        .where(and(inArray(sessionHistory.id, ids), isNull(sessionHistory.endedAt))),
    );
  }
  await db.batch(statements as [(typeof statements)[0], ...typeof statements]);
}

/** History rows listed at most (newest first). */
export const HISTORY_LISTED = 100;

/**
 * Seconds a session was in use: from its start to its end, or, for one that expired
 * unused, to its last use (not to the expiry nobody saw); for an open one, to its last use.
 */
export function timeSpent(row: Pick<SessionHistoryRow, 'startedAt' | 'lastSeenAt' | 'endedAt' | 'endReason'>): number {
  const until = row.endedAt && row.endReason !== 'expired' ? row.endedAt : row.lastSeenAt;
  return Math.max(0, Math.floor((until.getTime() - row.startedAt.getTime()) / 1000));
}

/** A history row on the wire (the user's ended sessions, the admin's user page). */
export function historyEntry(row: SessionHistoryRow) {
  return {
    id: row.id,
    created_at: row.startedAt.toISOString(),
    last_seen_at: row.lastSeenAt.toISOString(),
    ip: row.ip,
    user_agent: row.userAgent,
    device: row.device,
    device_type: row.deviceType,
    browser: row.browser,
    os: row.os,
    country: row.country,
    city: row.city,
    colo: row.colo,
    ended_at: row.endedAt?.toISOString() ?? null,
    end_reason: row.endReason,
    time_spent: timeSpent(row),
  };
}

/** The user's sessions that ended at or after `since`, newest end first. */
export function endedSessionsOf(db: Db, userId: string, since: number, limit = HISTORY_LISTED): Promise<SessionHistoryRow[]> {
  return db
    .select()
    .from(sessionHistory)
    .where(and(eq(sessionHistory.userId, userId), isNotNull(sessionHistory.endedAt), gte(sessionHistory.endedAt, new Date(since))))
    .orderBy(desc(sessionHistory.endedAt))
    .limit(limit);
}

/** Every history row of a user (open and ended), newest start first. */
export function sessionHistoryOf(db: Db, userId: string, limit = HISTORY_LISTED): Promise<SessionHistoryRow[]> {
  return db.select().from(sessionHistory).where(eq(sessionHistory.userId, userId)).orderBy(desc(sessionHistory.startedAt)).limit(limit);
}
