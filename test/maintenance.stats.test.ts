import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { CRONS } from '../src/maintenance';
import { writeDailyStats } from '../src/maintenance/daily-stats';
import { jobContext, runCron, seedAuditEvents } from './helpers/maintenance';

const DAY = 24 * 3600_000;
const HOUR = 3600_000;
/** The run happens at 03:30 UTC and writes the day before. */
const day = (n: number) => Date.UTC(2033, 3, n);
const runAt = (n: number) => day(n) + 3.5 * HOUR;

afterEach(() => setClock(null));

// The columns this job writes (session analytics writes the session ones: maintenance.sessions.test.ts).
const statsOf = (key: string) =>
  env.DB.prepare('SELECT day, signups, verifications, logins, login_failures, lockouts, mails_sent, mails_failed, created_at FROM daily_stats WHERE day = ?')
    .bind(key)
    .first<Record<string, number | string>>();

async function seedMail(dayStart: number, sent: number, failed: number): Promise<void> {
  const prefix = crypto.randomUUID();
  await env.DB.batch([
    env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1)
       INSERT INTO mail_deliveries (message_id, template, transport, sent_at) SELECT ?2 || '-d' || i, 'welcome', 'dev', ?3 + i FROM n`,
    ).bind(sent, prefix, dayStart + HOUR),
    env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1)
       INSERT INTO mail_failures (id, message_id, template, recipient, user_id, error, attempts, created_at)
       SELECT ?2 || '-f' || i, ?2 || '-fm' || i, 'welcome', 'x@example.com', NULL, 'retries exhausted', 5, ?3 + i FROM n`,
    ).bind(failed, prefix, dayStart + 2 * HOUR),
  ]);
}

describe('daily statistics', () => {
  it("writes yesterday's row from its audit events and mail records", async () => {
    const start = day(10);
    await seedAuditEvents({ count: 7, type: 'user_registered', at: start + HOUR });
    await seedAuditEvents({ count: 5, type: 'email_verified', at: start + 2 * HOUR });
    await seedAuditEvents({ count: 30, type: 'login_succeeded', at: start + 3 * HOUR });
    await seedAuditEvents({ count: 12, type: 'login_failed', at: start });
    await seedAuditEvents({ count: 2, type: 'account_locked', at: start + DAY - 1 });
    await seedAuditEvents({ count: 9, type: 'logout', at: start + HOUR }); // not counted
    // The edges: the day before and the day after do not count.
    await seedAuditEvents({ count: 100, type: 'login_succeeded', at: start - 1 });
    await seedAuditEvents({ count: 100, type: 'login_succeeded', at: start + DAY });
    await seedMail(start, 40, 3);

    setClock({ now: () => runAt(11) });
    await runCron(CRONS.daily);
    expect(await statsOf('2033-04-10')).toEqual({
      day: '2033-04-10',
      signups: 7,
      verifications: 5,
      logins: 30,
      login_failures: 12,
      lockouts: 2,
      mails_sent: 40,
      mails_failed: 3,
      created_at: runAt(11),
    });
  });

  it('is idempotent, and a rerun after late events updates the same row', async () => {
    const start = day(15);
    await seedAuditEvents({ count: 4, type: 'user_registered', at: start + HOUR });
    setClock({ now: () => runAt(16) });
    await Promise.all([writeDailyStats.run(jobContext()), writeDailyStats.run(jobContext())]);
    const first = await statsOf('2033-04-15');
    expect(first).toMatchObject({ signups: 4, created_at: runAt(16) });

    await writeDailyStats.run(jobContext());
    expect(await statsOf('2033-04-15')).toEqual(first);

    await seedAuditEvents({ count: 3, type: 'user_registered', at: start + 5 * HOUR });
    setClock({ now: () => runAt(16) + HOUR });
    await writeDailyStats.run(jobContext());
    expect(await statsOf('2033-04-15')).toMatchObject({ signups: 7, created_at: runAt(16) });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM daily_stats WHERE day = '2033-04-15'").first('n')).toBe(1);
  });

  it('writes an empty day as zeros', async () => {
    setClock({ now: () => runAt(21) });
    await writeDailyStats.run(jobContext());
    expect(await statsOf('2033-04-20')).toMatchObject({ signups: 0, logins: 0, mails_sent: 0, mails_failed: 0 });
  });

  it('fills in up to two missed days, and never rewrites older rows', async () => {
    await seedAuditEvents({ count: 2, type: 'login_succeeded', at: day(23) + HOUR });
    await seedAuditEvents({ count: 3, type: 'login_succeeded', at: day(24) + HOUR });
    await env.DB.prepare("INSERT INTO daily_stats (day, logins, created_at) VALUES ('2033-04-22', 99, 0)").run();
    setClock({ now: () => runAt(26) });
    expect(await writeDailyStats.run(jobContext())).toEqual({ days_written: 3 });
    expect(await statsOf('2033-04-25')).toMatchObject({ logins: 0 });
    expect(await statsOf('2033-04-24')).toMatchObject({ logins: 3 });
    expect(await statsOf('2033-04-23')).toMatchObject({ logins: 2 });
    expect(await statsOf('2033-04-22')).toMatchObject({ logins: 99 });
    // Next day: yesterday only, the others exist now.
    setClock({ now: () => runAt(27) });
    expect(await writeDailyStats.run(jobContext())).toEqual({ days_written: 1 });
  });
});
