import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { CRONS } from '../src/maintenance';
import { SESSION_CLOSE_LIMITS, sessionAnalytics } from '../src/maintenance/session-analytics';
import { SESSION_HISTORY_LIMITS, sessionHistoryRetention } from '../src/maintenance/session-history-retention';
import { countRows, jobContext, runCron } from './helpers/maintenance';
import { createVerifiedUser } from './helpers/users';

const MIN = 60_000;
const DAY = 86_400_000;
/** 03:40 UTC: a five-minute firing whose minute of the day is a multiple of 20. */
const NOW = Date.UTC(2032, 2, 10, 3, 40, 0);
const YESTERDAY = '2032-03-09';
const YESTERDAY_START = Date.UTC(2032, 2, 9);

afterEach(() => setClock(null));

interface SeedSessions {
  count: number;
  userId: string;
  prefix: string;
  startedAt: number;
  lastSeenAt?: number;
  expiresAt: number;
  endedAt?: number | null;
  endReason?: string | null;
}

/** `count` history rows in one statement (a recursive CTE: no bound-parameter limit). */
async function seedSessions(seed: SeedSessions): Promise<void> {
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1)
     INSERT INTO session_history (id, user_id, started_at, last_seen_at, expires_at, absolute_expires_at, ended_at, end_reason)
     SELECT ?2 || '-' || i, ?3, ?4, ?5, ?6, ?6 + 1000, ?7, ?8 FROM n`,
  )
    .bind(seed.count, seed.prefix, seed.userId, seed.startedAt, seed.lastSeenAt ?? seed.startedAt, seed.expiresAt, seed.endedAt ?? null, seed.endReason ?? null)
    .run();
}

const rowsOf = (prefix: string, where = '1 = 1') => countRows(`SELECT COUNT(*) AS n FROM session_history WHERE id LIKE ? AND ${where}`, `${prefix}-%`);

describe('session analytics (every 20 minutes)', () => {
  it('closes more sessions than a batch as expired, at their expiry, and leaves live and ended ones alone', async () => {
    const user = await createVerifiedUser();
    const many = SESSION_CLOSE_LIMITS.batchSize * 2 + 37;
    await seedSessions({ count: many, userId: user.id, prefix: 'stale', startedAt: NOW - 8 * DAY, expiresAt: NOW - 60 * MIN });
    await seedSessions({ count: 5, userId: user.id, prefix: 'live', startedAt: NOW - DAY, expiresAt: NOW + 6 * DAY });
    await seedSessions({ count: 3, userId: user.id, prefix: 'out', startedAt: NOW - 8 * DAY, expiresAt: NOW - 60 * MIN, endedAt: NOW - 2 * DAY, endReason: 'logout' });
    setClock({ now: () => NOW });
    await runCron(CRONS.everyFiveMinutes);
    expect(await rowsOf('stale', "end_reason = 'expired' AND ended_at = expires_at")).toBe(many);
    expect(await rowsOf('live', 'ended_at IS NULL')).toBe(5);
    expect(await rowsOf('out', `end_reason = 'logout' AND ended_at = ${NOW - 2 * DAY}`)).toBe(3);
  });

  it('runs only on firings whose minute of the day is a multiple of 20', async () => {
    const user = await createVerifiedUser();
    await seedSessions({ count: 4, userId: user.id, prefix: 'offbeat', startedAt: NOW - 8 * DAY, expiresAt: NOW - MIN });
    setClock({ now: () => NOW + 5 * MIN });
    await runCron(CRONS.everyFiveMinutes);
    expect(await rowsOf('offbeat', 'ended_at IS NULL')).toBe(4);
  });

  it('two runs at once close each session once', async () => {
    const user = await createVerifiedUser();
    const many = SESSION_CLOSE_LIMITS.batchSize * 3 + 11;
    await seedSessions({ count: many, userId: user.id, prefix: 'race', startedAt: NOW - 9 * DAY, expiresAt: NOW - 2 * MIN });
    setClock({ now: () => NOW });
    const before = await countRows('SELECT COUNT(*) AS n FROM session_history WHERE ended_at IS NULL AND expires_at <= ?', NOW);
    const reports = await Promise.all([sessionAnalytics.run(jobContext()), sessionAnalytics.run(jobContext())]);
    expect(reports.reduce((sum, r) => sum + Number(r.sessions_closed), 0)).toBe(before);
    expect(reports.every((r) => r.complete)).toBe(true);
    expect(await rowsOf('race', "end_reason = 'expired'")).toBe(many);
  });

  it('writes active users, sessions ended and the mean session length into the daily_stats row of a finished day', async () => {
    const users = await Promise.all([createVerifiedUser(), createVerifiedUser(), createVerifiedUser()]);
    for (const u of users) await env.DB.prepare('INSERT INTO daily_activity (user_id, day, seen) VALUES (?, ?, 1)').bind(u.id, YESTERDAY).run();
    const start = YESTERDAY_START + 3600_000;
    // 600 s until a logout, 1200 s until a revocation, and an expiry 300 s after the last use.
    await seedSessions({ count: 1, userId: users[0]!.id, prefix: 'len-a', startedAt: start, expiresAt: start + DAY, endedAt: start + 600_000, endReason: 'logout' });
    await seedSessions({ count: 1, userId: users[1]!.id, prefix: 'len-b', startedAt: start, expiresAt: start + DAY, endedAt: start + 1_200_000, endReason: 'revoked' });
    await seedSessions({ count: 1, userId: users[2]!.id, prefix: 'len-c', startedAt: start - 2 * DAY, lastSeenAt: start - 2 * DAY + 300_000, expiresAt: start + 5000, endedAt: start + 5000, endReason: 'expired' });
    await env.DB.prepare('INSERT INTO daily_stats (day, logins, created_at) VALUES (?, 7, ?)').bind(YESTERDAY, NOW).run();
    setClock({ now: () => NOW });
    const reports = await Promise.all([sessionAnalytics.run(jobContext()), sessionAnalytics.run(jobContext())]);
    expect(reports.map((r) => r.days_written)).toEqual([1, 1]);
    const row = await env.DB.prepare('SELECT logins, active_users, sessions_ended, avg_session_seconds FROM daily_stats WHERE day = ?').bind(YESTERDAY).first();
    expect(row).toEqual({ logins: 7, active_users: 3, sessions_ended: 3, avg_session_seconds: 700 });
    // A day without a daily_stats row gets none from here (the daily job backfills missing rows).
    expect(await countRows('SELECT COUNT(*) AS n FROM daily_stats WHERE day = ?', '2032-03-08')).toBe(0);
  });
});

describe('session history retention (daily)', () => {
  it('deletes sessions that ended more than 90 days ago, more than a batch, and keeps open and recent ones', async () => {
    const user = await createVerifiedUser();
    const many = SESSION_HISTORY_LIMITS.batchSize * 2 + 55;
    await seedSessions({ count: many, userId: user.id, prefix: 'old', startedAt: NOW - 100 * DAY, expiresAt: NOW - 95 * DAY, endedAt: NOW - 91 * DAY, endReason: 'logout' });
    await seedSessions({ count: 4, userId: user.id, prefix: 'recent', startedAt: NOW - 100 * DAY, expiresAt: NOW - 95 * DAY, endedAt: NOW - 89 * DAY, endReason: 'logout' });
    await seedSessions({ count: 2, userId: user.id, prefix: 'open', startedAt: NOW - 200 * DAY, expiresAt: NOW + DAY });
    setClock({ now: () => Date.UTC(2032, 2, 10, 3, 30, 0) });
    await runCron(CRONS.daily);
    expect(await rowsOf('old')).toBe(0);
    expect(await rowsOf('recent')).toBe(4);
    expect(await rowsOf('open')).toBe(2);
  });

  it('two runs at once delete each row once and both finish', async () => {
    const user = await createVerifiedUser();
    const many = SESSION_HISTORY_LIMITS.batchSize * 2 + 400;
    await seedSessions({ count: many, userId: user.id, prefix: 'twice', startedAt: NOW - 150 * DAY, expiresAt: NOW - 140 * DAY, endedAt: NOW - 120 * DAY, endReason: 'expired' });
    setClock({ now: () => NOW });
    const before = await countRows('SELECT COUNT(*) AS n FROM session_history WHERE ended_at < ?', NOW - 90 * DAY);
    const reports = await Promise.all([sessionHistoryRetention.run(jobContext()), sessionHistoryRetention.run(jobContext())]);
    expect(reports.reduce((sum, r) => sum + Number(r.sessions_deleted), 0)).toBe(before);
    expect(reports.every((r) => r.complete)).toBe(true);
    expect(await rowsOf('twice')).toBe(0);
  });

  it('follows RETENTION_SESSION_HISTORY_DAYS', async () => {
    const user = await createVerifiedUser();
    await seedSessions({ count: 3, userId: user.id, prefix: 'month', startedAt: NOW - 40 * DAY, expiresAt: NOW - 35 * DAY, endedAt: NOW - 31 * DAY, endReason: 'logout' });
    setClock({ now: () => NOW });
    const report = await sessionHistoryRetention.run(jobContext({ ...env, RETENTION_SESSION_HISTORY_DAYS: '30' }));
    expect(report.sessions_deleted).toBeGreaterThanOrEqual(3);
    expect(await rowsOf('month')).toBe(0);
  });
});
