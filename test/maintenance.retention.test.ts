import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { createDb } from '../src/db/client';
import { CRONS } from '../src/maintenance';
import { AUDIT_RETENTION_LIMITS, auditRetention, deleteAuditEventsBefore } from '../src/maintenance/audit-retention';
import { countRows, jobContext, runCron, seedAuditEvents } from './helpers/maintenance';

const DAY = 24 * 3600_000;
const NOW = Date.UTC(2032, 2, 10, 3, 30, 0);
const events = (prefix: string) => countRows('SELECT COUNT(*) AS n FROM audit_events WHERE id LIKE ?', `${prefix}-%`);

afterEach(() => setClock(null));

describe('audit retention (daily)', () => {
  it('deletes events older than 90 days, in batches, and keeps the rest', async () => {
    await seedAuditEvents({ count: AUDIT_RETENTION_LIMITS.batchSize * 2 + 321, type: 'login_succeeded', at: NOW - 91 * DAY, idPrefix: 'expired' });
    await seedAuditEvents({ count: 5, type: 'login_succeeded', at: NOW - 90 * DAY + 60_000, idPrefix: 'kept' });
    setClock({ now: () => NOW });
    await runCron(CRONS.daily);
    expect(await events('expired')).toBe(0);
    expect(await events('kept')).toBe(5);
  });

  it('follows RETENTION_AUDIT_DAYS', async () => {
    await seedAuditEvents({ count: 7, type: 'logout', at: NOW - 31 * DAY, idPrefix: 'month' });
    await seedAuditEvents({ count: 4, type: 'logout', at: NOW - 29 * DAY, idPrefix: 'recent' });
    const due = await countRows('SELECT COUNT(*) AS n FROM audit_events WHERE created_at < ?', NOW - 30 * DAY);
    expect(due).toBeGreaterThanOrEqual(7);
    setClock({ now: () => NOW });
    expect(await auditRetention.run(jobContext({ ...env, RETENTION_AUDIT_DAYS: '30' }))).toMatchObject({ audit_events_deleted: due, complete: true });
    expect(await events('month')).toBe(0);
    expect(await events('recent')).toBe(4);
  });

  it('is bounded per run: the cap leaves the rest for the next run', async () => {
    await seedAuditEvents({ count: 350, type: 'logout', at: NOW - 200 * DAY, idPrefix: 'bounded' });
    const limits = { batchSize: 100, maxBatches: 3 };
    const db = createDb(env.DB);
    expect(await deleteAuditEventsBefore(db, NOW - 90 * DAY, limits)).toEqual({ rows: 300, batches: 3, complete: false });
    expect(await deleteAuditEventsBefore(db, NOW - 90 * DAY, limits)).toEqual({ rows: 50, batches: 1, complete: true });
    expect(await events('bounded')).toBe(0);
  });

  it('two runs at once delete each event once and both finish', async () => {
    await seedAuditEvents({ count: 2500, type: 'logout', at: NOW - 100 * DAY, idPrefix: 'race' });
    setClock({ now: () => NOW });
    const reports = await Promise.all([auditRetention.run(jobContext()), auditRetention.run(jobContext())]);
    expect(reports.reduce((sum, r) => sum + Number(r.audit_events_deleted), 0)).toBe(2500);
    expect(reports.every((r) => r.complete)).toBe(true);
    expect(await events('race')).toBe(0);
  });
});
