import { and, count, gte, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditEvents, dailyStats, mailDeliveries, mailFailures } from '../db/schema';
import type { AuditEventType } from '../audit/event-types';
import { DAY_MS, type JobContext, type JobReport, type MaintenanceJob } from './job';

/** Which audit event each counter counts. */
const COUNTED: Record<'signups' | 'verifications' | 'logins' | 'loginFailures' | 'lockouts', AuditEventType> = {
  signups: 'user_registered',
  verifications: 'email_verified',
  logins: 'login_succeeded',
  loginFailures: 'login_failed',
  lockouts: 'account_locked',
};

/** Days before yesterday written too when their row is missing (a run that did not happen). */
const BACKFILL_DAYS = 2;

export type DayStats = Omit<typeof dailyStats.$inferInsert, 'createdAt'>;

/**
 * Daily: one row per finished UTC day. Counts come from audit events and mail records of
 * that day, and the row is upserted by day, so running twice writes the same row.
 */
export const writeDailyStats: MaintenanceJob = {
  name: 'daily_stats',
  async run(ctx: JobContext): Promise<JobReport> {
    const yesterday = startOfUtcDay(ctx.now) - DAY_MS;
    const days = [yesterday, ...(await missingDays(ctx.db, yesterday))];
    for (const dayStart of days) await upsertDay(ctx.db, await countDay(ctx.db, dayStart), ctx.now);
    return { days_written: days.length };
  },
};

export function startOfUtcDay(at: number): number {
  return Math.floor(at / DAY_MS) * DAY_MS;
}

export function dayKey(dayStart: number): string {
  return new Date(dayStart).toISOString().slice(0, 10);
}

async function missingDays(db: Db, yesterday: number): Promise<number[]> {
  const candidates = Array.from({ length: BACKFILL_DAYS }, (_, i) => yesterday - (i + 1) * DAY_MS);
  const present = await db.select({ day: dailyStats.day }).from(dailyStats).where(inArray(dailyStats.day, candidates.map(dayKey)));
  const have = new Set(present.map((row) => row.day));
  return candidates.filter((day) => !have.has(dayKey(day)));
}

export async function countDay(db: Db, dayStart: number): Promise<DayStats> {
  const [from, to] = [new Date(dayStart), new Date(dayStart + DAY_MS)];
  const [events, sent, failed] = await db.batch([
    db
      .select({ type: auditEvents.type, n: count() })
      .from(auditEvents)
      .where(and(inArray(auditEvents.type, Object.values(COUNTED)), gte(auditEvents.createdAt, from), lt(auditEvents.createdAt, to)))
      .groupBy(auditEvents.type),
    db.select({ n: count() }).from(mailDeliveries).where(and(gte(mailDeliveries.sentAt, from), lt(mailDeliveries.sentAt, to))),
    db.select({ n: count() }).from(mailFailures).where(and(gte(mailFailures.createdAt, from), lt(mailFailures.createdAt, to))),
  ]);
  const byType = new Map(events.map((row) => [row.type, row.n]));
  const counter = (name: keyof typeof COUNTED) => byType.get(COUNTED[name]) ?? 0;
  return {
    day: dayKey(dayStart),
    signups: counter('signups'),
    verifications: counter('verifications'),
    logins: counter('logins'),
    loginFailures: counter('loginFailures'),
    lockouts: counter('lockouts'),
    mailsSent: sent[0]?.n ?? 0,
    mailsFailed: failed[0]?.n ?? 0,
  };
}

async function upsertDay(db: Db, stats: DayStats, now: number): Promise<void> {
  await db
    .insert(dailyStats)
    .values({ ...stats, createdAt: new Date(now) })
    .onConflictDoUpdate({
      target: dailyStats.day,
      set: {
        signups: sql`excluded.signups`,
        verifications: sql`excluded.verifications`,
        logins: sql`excluded.logins`,
        loginFailures: sql`excluded.login_failures`,
        lockouts: sql`excluded.lockouts`,
        mailsSent: sql`excluded.mails_sent`,
        mailsFailed: sql`excluded.mails_failed`,
      },
    });
}
