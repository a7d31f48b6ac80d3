/// <reference types="vite/client" />
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setClock } from '../src/clock';
import { CRONS } from '../src/maintenance';
import { SCHEDULE } from '../src/maintenance/schedule';
import { isDue, type MaintenanceJob } from '../src/maintenance/job';
import wranglerToml from '../wrangler.toml?raw';
import { countRows, runCron, seedAuditEvents } from './helpers/maintenance';
import { createVerifiedUser } from './helpers/users';

const NOW = Date.UTC(2034, 6, 1, 12, 0, 0);

afterEach(() => {
  setClock(null);
  vi.restoreAllMocks();
});

/** Every log line written while `run` runs. */
async function logsOf(run: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  for (const level of ['log', 'warn', 'error'] as const) vi.spyOn(console, level).mockImplementation((line: unknown) => void lines.push(String(line)));
  try {
    await run();
  } finally {
    vi.restoreAllMocks();
  }
  return lines;
}

describe('scheduled() dispatch', () => {
  it('wrangler.toml triggers exactly the dispatched crons, in development and production', () => {
    const cronLines = [...wranglerToml.matchAll(/^crons\s*=\s*(\[.*\])$/gm)].map((m) => JSON.parse(m[1]!) as string[]);
    expect(cronLines).toEqual([Object.values(CRONS), Object.values(CRONS)]);
    expect(wranglerToml).toMatch(/\[triggers\]\ncrons/);
    expect(wranglerToml).toMatch(/\[env\.production\.triggers\]\ncrons/);
    expect(Object.keys(SCHEDULE).sort()).toEqual(Object.values(CRONS).sort());
  });

  it('runs the jobs of each cron', () => {
    const names = (cron: string) => SCHEDULE[cron]!.map((job) => job.name);
    expect(names(CRONS.everyFiveMinutes)).toEqual(['security_analysis', 'event_alerts', 'reconcile_counters', 'session_analytics']);
    expect(names(CRONS.hourly)).toEqual(['purge_expired', 'engagement_scores']);
    expect(names(CRONS.daily)).toEqual(['daily_stats', 'audit_retention', 'purge_deleted_users', 'badge_sweep', 'session_history_retention']);
  });

  it('logs one structured line per job with what it did', async () => {
    setClock({ now: () => NOW });
    const lines = await logsOf(() => runCron(CRONS.daily));
    const done = lines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'maintenance job done');
    expect(done.map((entry) => entry.job)).toEqual(['daily_stats', 'audit_retention', 'purge_deleted_users', 'badge_sweep', 'session_history_retention']);
    expect(done[0]).toMatchObject({ level: 'info', component: 'maintenance', cron: CRONS.daily, days_written: 3 });
    expect(done[1]).toMatchObject({ audit_events_deleted: 0, complete: true });
    expect(typeof done[2].duration_ms).toBe('number');
  });

  it('logs no addresses or IPs, even about an alert', async () => {
    const admin = await createVerifiedUser();
    await env.DB.prepare("UPDATE users SET role = 'admin' WHERE id = ?").bind(admin.id).run();
    const ip = '192.0.2.77';
    await seedAuditEvents({ count: 25, type: 'login_failed', at: NOW - 60_000, ip, userIds: ['a', 'b', 'c'] });
    setClock({ now: () => NOW });
    const lines = await logsOf(() => runCron(CRONS.everyFiveMinutes));
    expect(lines.join('\n')).toContain('security alert opened');
    expect(lines.join('\n')).not.toContain(ip);
    expect(lines.join('\n')).not.toContain(admin.email);
  });

  it('an unknown cron does nothing and says so', async () => {
    const lines = await logsOf(() => runCron('7 7 7 7 7'));
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(['no maintenance jobs for this cron']);
  });

  it('a failing job is logged, the next still runs, and the run fails naming it', async () => {
    const ran: string[] = [];
    const failing: MaintenanceJob = { name: 'failing', run: () => Promise.reject(new Error('boom')) };
    const fine: MaintenanceJob = { name: 'fine', run: async () => (ran.push('fine'), { ok: true }) };
    SCHEDULE['1 2 3 4 5'] = [failing, fine];
    try {
      const lines = await logsOf(() => expect(runCron('1 2 3 4 5')).rejects.toThrow('maintenance jobs failed: failing'));
      expect(ran).toEqual(['fine']);
      expect(lines.map((line) => JSON.parse(line))).toEqual([
        expect.objectContaining({ level: 'error', msg: 'maintenance job failed', job: 'failing', error: 'Error: boom' }),
        expect.objectContaining({ level: 'info', msg: 'maintenance job done', job: 'fine', ok: true }),
      ]);
    } finally {
      delete SCHEDULE['1 2 3 4 5'];
    }
  });

  it('a malformed retention setting stops the run before anything is deleted', async () => {
    await seedAuditEvents({ count: 3, type: 'logout', at: NOW - 400 * 24 * 3600_000, idPrefix: 'ancient' });
    setClock({ now: () => NOW });
    const lines = await logsOf(() => expect(runCron(CRONS.daily, { ...env, RETENTION_AUDIT_DAYS: 'ninety' })).rejects.toThrow(/RETENTION_AUDIT_DAYS/));
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'error', msg: 'maintenance not run: configuration invalid' });
    expect(await countRows("SELECT COUNT(*) AS n FROM audit_events WHERE id LIKE 'ancient-%'")).toBe(3);
  });
});

describe('jobs with a cadence inside the five-minute cron', () => {
  const every20: MaintenanceJob = { name: 'every_20', everyMinutes: 20, run: async () => ({}) };
  const plain: MaintenanceJob = { name: 'plain', run: async () => ({}) };
  const at = (hour: number, minute: number) => Date.UTC(2034, 6, 1, hour, minute);

  it('runs on the firings whose minute of the day is a multiple of its cadence', () => {
    expect([0, 5, 10, 15, 20, 25, 40, 45].map((minute) => isDue(every20, at(13, minute)))).toEqual([
      true, false, false, false, true, false, true, false,
    ]);
    expect(isDue(every20, at(0, 0))).toBe(true);
  });

  it('a job without a cadence runs on every firing', () => {
    expect([0, 5, 35].map((minute) => isDue(plain, at(7, minute)))).toEqual([true, true, true]);
  });
});
