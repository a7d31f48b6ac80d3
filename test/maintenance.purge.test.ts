import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { createDb } from '../src/db/client';
import { CRONS } from '../src/maintenance';
import { purgeExpired, purgeMailDeliveries, PURGE_LIMITS } from '../src/maintenance/purge-expired';
import { countRows, jobContext, runCron } from './helpers/maintenance';

const DAY = 24 * 3600_000;
const NOW = Date.UTC(2032, 5, 15, 10, 0, 0);

afterEach(() => setClock(null));

/** `count` delivery records sent at `sentAt`, in one statement. */
async function seedDeliveries(count: number, sentAt: number, prefix = crypto.randomUUID()): Promise<void> {
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1)
     INSERT INTO mail_deliveries (message_id, template, transport, sent_at) SELECT ?2 || '-' || i, 'login_code', 'dev', ?3 FROM n`,
  )
    .bind(count, prefix, sentAt)
    .run();
}

const deliveries = (prefix: string) => countRows('SELECT COUNT(*) AS n FROM mail_deliveries WHERE message_id LIKE ?', `${prefix}-%`);

describe('hourly purge', () => {
  it('deletes delivery records older than the retention (more rows than one batch) and keeps newer ones', async () => {
    const [old, fresh] = ['old-a', 'fresh-a'];
    await seedDeliveries(PURGE_LIMITS.batchSize * 2 + 500, NOW - 8 * DAY, old);
    await seedDeliveries(300, NOW - 6 * DAY, fresh);
    setClock({ now: () => NOW });
    await runCron(CRONS.hourly);
    expect(await deliveries(old)).toBe(0);
    expect(await deliveries(fresh)).toBe(300);
  });

  it('follows RETENTION_MAIL_DELIVERIES_DAYS', async () => {
    await seedDeliveries(10, NOW - 3 * DAY, 'three-days');
    setClock({ now: () => NOW });
    await runCron(CRONS.hourly, { ...env, RETENTION_MAIL_DELIVERIES_DAYS: '2' });
    expect(await deliveries('three-days')).toBe(0);
  });

  it('stops at its batch cap and finishes on the next run', async () => {
    await seedDeliveries(250, NOW - 30 * DAY, 'capped');
    const db = createDb(env.DB);
    expect(await purgeMailDeliveries(db, NOW - 7 * DAY, { batchSize: 100, maxBatches: 2 })).toEqual({ rows: 200, batches: 2, complete: false });
    expect(await deliveries('capped')).toBe(50);
    expect(await purgeMailDeliveries(db, NOW - 7 * DAY, { batchSize: 100, maxBatches: 2 })).toEqual({ rows: 50, batches: 1, complete: true });
    expect(await deliveries('capped')).toBe(0);
  });

  it('deletes closed security alerts and keeps open ones', async () => {
    const insert = env.DB.prepare('INSERT INTO security_alerts (key, type, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?)');
    await env.DB.batch([
      insert.bind('credential_stuffing:192.0.2.1', 'credential_stuffing', NOW - 3 * 3600_000, NOW - 61 * 60_000),
      insert.bind('lockout_wave', 'lockout_wave', NOW - 3 * 3600_000, NOW - 5 * 60_000),
    ]);
    setClock({ now: () => NOW });
    const report = await purgeExpired.run(jobContext());
    expect(report).toMatchObject({ closed_alerts_deleted: 1, closed_alerts_complete: true });
    const keys = await env.DB.prepare('SELECT key FROM security_alerts ORDER BY key').all<{ key: string }>();
    expect(keys.results.map((r) => r.key)).toEqual(['lockout_wave']);
  });

  it('is idempotent and survives two runs at once', async () => {
    await seedDeliveries(PURGE_LIMITS.batchSize + 200, NOW - 10 * DAY, 'twice');
    setClock({ now: () => NOW });
    const reports = await Promise.all([purgeExpired.run(jobContext()), purgeExpired.run(jobContext())]);
    expect(reports.reduce((sum, r) => sum + Number(r.mail_deliveries_deleted), 0)).toBe(PURGE_LIMITS.batchSize + 200);
    expect(await deliveries('twice')).toBe(0);
    expect(await purgeExpired.run(jobContext())).toMatchObject({ mail_deliveries_deleted: 0, mail_deliveries_complete: true });
  });
});
