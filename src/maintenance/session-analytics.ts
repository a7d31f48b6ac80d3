import { and, count, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { dailyActivity, dailyStats, sessionHistory } from '../db/schema';
import { changes, repeatInBatches, type BatchLimits } from './batches';
import { dayKey, startOfUtcDay } from './daily-stats';
import { DAY_MS, type JobContext, type JobReport, type MaintenanceJob } from './job';

/** Up to 10,000 sessions closed per run, 500 per statement. */
export const SESSION_CLOSE_LIMITS: BatchLimits = { batchSize: 500, maxBatches: 20 };

/** Finished days whose figures each run recomputes (yesterday, and the day before for the hours before the daily job). */
const FIGURE_DAYS = 2;

/**
 * Every 20 minutes (inside the five-minute cron): sessions the history still shows open
 * though their expiry has passed are closed with reason `expired` (ended_at = that expiry),
 * then the session figures of the last finished days go into their daily_stats rows: active
 * users (rows of daily_activity), sessions ended and their mean length. Only rows the daily
 * stats job has written are updated (it creates a day's row after the day, and backfills
 * days whose row is missing: a row made here would hide a missed run from it); sessions
 * closed late, with an end on such a day, are counted by the runs after. Closing re-checks
 * `ended_at IS NULL` in the statement that writes, and the figures are recomputed whole,
 * so two runs at once close each session once and write the same figures.
 */
export const sessionAnalytics: MaintenanceJob = {
  name: 'session_analytics',
  everyMinutes: 20,
  async run(ctx: JobContext): Promise<JobReport> {
    const closed = await closeExpiredSessions(ctx.db, ctx.now, SESSION_CLOSE_LIMITS);
    const today = startOfUtcDay(ctx.now);
    let daysWritten = 0;
    for (let back = 1; back <= FIGURE_DAYS; back++) {
      if (await writeSessionFigures(ctx.db, await sessionFigures(ctx.db, today - back * DAY_MS))) daysWritten += 1;
    }
    return { sessions_closed: closed.rows, batches: closed.batches, complete: closed.complete, days_written: daysWritten };
  },
};

export function closeExpiredSessions(db: Db, now: number, limits: BatchLimits) {
  return repeatInBatches(
    async (n) =>
      changes(
        await db.run(sql`UPDATE ${sessionHistory} SET ended_at = expires_at, end_reason = 'expired'
          WHERE id IN (SELECT id FROM ${sessionHistory} WHERE ended_at IS NULL AND expires_at <= ${now} LIMIT ${n})
            AND ended_at IS NULL`),
      ),
    limits,
  );
}

export interface SessionFigures {
  day: string;
  activeUsers: number;
  sessionsEnded: number;
  avgSessionSeconds: number;
}

/** Seconds in use, as the session list's time_spent (accounts/state/session-history.ts timeSpent). */
const secondsSpent = sql<number>`(CASE WHEN ${sessionHistory.endReason} = 'expired' THEN ${sessionHistory.lastSeenAt} ELSE ${sessionHistory.endedAt} END - ${sessionHistory.startedAt}) / 1000`;

export async function sessionFigures(db: Db, dayStart: number): Promise<SessionFigures> {
  const day = dayKey(dayStart);
  const [active, ended] = await db.batch([
    db.select({ n: count() }).from(dailyActivity).where(eq(dailyActivity.day, day)),
    db
      .select({ n: count(), avg: sql<number | null>`avg(max(0, ${secondsSpent}))` })
      .from(sessionHistory)
      .where(and(gte(sessionHistory.endedAt, new Date(dayStart)), lt(sessionHistory.endedAt, new Date(dayStart + DAY_MS)))),
  ]);
  return {
    day,
    activeUsers: active[0]?.n ?? 0,
    sessionsEnded: ended[0]?.n ?? 0,
    avgSessionSeconds: Math.round(ended[0]?.avg ?? 0),
  };
}

/** Writes only the session columns of an existing row; true when there was one. */
export async function writeSessionFigures(db: Db, figures: SessionFigures): Promise<boolean> {
  const { day, ...columns } = figures;
  const written = await db.update(dailyStats).set(columns).where(eq(dailyStats.day, day)).returning({ day: dailyStats.day });
  return written.length > 0;
}
