import { and, asc, gte, lte } from 'drizzle-orm';
import type { Db } from '../db/client';
import { dailyStats } from '../db/schema';
import type { DayRange } from './schemas';

/** The daily_stats rows of a range, oldest first, as the admin API shows them. */
export async function dailyReport(db: Db, range: DayRange) {
  const rows = await db
    .select()
    .from(dailyStats)
    .where(and(gte(dailyStats.day, range.from), lte(dailyStats.day, range.to)))
    .orderBy(asc(dailyStats.day));
  return {
    from: range.from,
    to: range.to,
    results: rows.map((r) => ({
      day: r.day,
      signups: r.signups,
      verifications: r.verifications,
      logins: r.logins,
      login_failures: r.loginFailures,
      lockouts: r.lockouts,
      mails_sent: r.mailsSent,
      mails_failed: r.mailsFailed,
      active_users: r.activeUsers,
      sessions_ended: r.sessionsEnded,
      avg_session_seconds: r.avgSessionSeconds,
    })),
  };
}
export type DailyReport = Awaited<ReturnType<typeof dailyReport>>;
