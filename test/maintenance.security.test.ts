import { env } from 'cloudflare:workers';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { CRONS } from '../src/maintenance';
import { securityAnalysis } from '../src/maintenance/security-analysis';
import { api, STRONG_PASSWORD } from './helpers/api';
import { waitForMail } from './helpers/mail';
import { createVerifiedUser, login, type TestUser } from './helpers/users';
import { countRows, jobContext, runCron, seedAuditEvents } from './helpers/maintenance';

const MINUTE = 60_000;
/** Each test works in its own hour, far from the others, so windows never overlap. */
let hour = 0;
const freshTime = () => Date.UTC(2031, 0, 1) + ++hour * 6 * 3600_000;
const at = (now: number) => setClock({ now: () => now });

let admin: TestUser;
const accounts = Array.from({ length: 5 }, () => crypto.randomUUID());

beforeAll(async () => {
  admin = await createVerifiedUser();
  await env.DB.prepare("UPDATE users SET role = 'admin' WHERE id = ?").bind(admin.id).run();
});

afterEach(() => setClock(null));

const alertEvents = (key: string) =>
  env.DB.prepare("SELECT severity, user_id, ip, metadata, created_at FROM audit_events WHERE type = 'security_alert' AND json_extract(metadata, '$.alert_key') = ?")
    .bind(key)
    .all<{ severity: string; user_id: string | null; ip: string | null; metadata: string; created_at: number }>()
    .then((r) => r.results);

const alertRow = (key: string) => env.DB.prepare('SELECT * FROM security_alerts WHERE key = ?').bind(key).first<Record<string, number | string>>();

const stuffing = (ip: string, now: number, count = 24) =>
  seedAuditEvents({ count, type: 'login_failed', at: now - MINUTE, ip, userIds: accounts.slice(0, 4) });

describe('security analysis: credential stuffing', () => {
  it('raises one high-severity security_alert and mails every admin', async () => {
    const now = freshTime();
    const ip = '203.0.113.10';
    await stuffing(ip, now);
    at(now);
    await runCron(CRONS.everyFiveMinutes);

    const events = await alertEvents(`credential_stuffing:${ip}`);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ severity: 'high', ip, user_id: null, created_at: now });
    expect(JSON.parse(events[0]!.metadata)).toEqual({
      alert_key: `credential_stuffing:${ip}`,
      alert: 'credential_stuffing',
      failures: 24,
      accounts: 4,
      window_minutes: 15,
    });
    expect(await alertRow(`credential_stuffing:${ip}`)).toMatchObject({ type: 'credential_stuffing', first_seen_at: now, last_seen_at: now });

    const mail = await waitForMail(admin.email, { subject: /Security alert: credential stuffing/, predicate: (m) => m.text.includes(ip) });
    expect(mail.text).toContain(`24 failed sign-ins for 4 accounts from ${ip} in 15 minutes.`);
  });

  it('also mails ALERT_RECIPIENTS', async () => {
    const now = freshTime();
    const ip = '203.0.113.11';
    const ops = `ops.${crypto.randomUUID().slice(0, 8)}@example.com`;
    await stuffing(ip, now);
    at(now);
    await runCron(CRONS.everyFiveMinutes, { ...env, ALERT_RECIPIENTS: `${ops}, not-an-address` });
    await waitForMail(ops, { subject: /Security alert/, predicate: (m) => m.text.includes(ip) });
  });

  it('while the pattern persists, later runs keep the alert open and raise nothing more', async () => {
    const now = freshTime();
    const ip = '203.0.113.12';
    await stuffing(ip, now);
    at(now);
    expect(await securityAnalysis.run(jobContext())).toMatchObject({ alerts_opened: 1, alert_mails_queued: 1 });

    for (const later of [now + 5 * MINUTE, now + 10 * MINUTE, now + 15 * MINUTE]) {
      await stuffing(ip, later, 20);
      at(later);
      expect(await securityAnalysis.run(jobContext())).toMatchObject({ findings: 1, alerts_opened: 0, alerts_kept_open: 1, alert_mails_queued: 0 });
    }
    expect(await alertEvents(`credential_stuffing:${ip}`)).toHaveLength(1);
    expect(await alertRow(`credential_stuffing:${ip}`)).toMatchObject({ first_seen_at: now, last_seen_at: now + 15 * MINUTE });
  });

  it('two runs at once raise it exactly once', async () => {
    const now = freshTime();
    const ip = '203.0.113.13';
    await stuffing(ip, now);
    at(now);
    const reports = await Promise.all([securityAnalysis.run(jobContext()), securityAnalysis.run(jobContext()), securityAnalysis.run(jobContext())]);
    expect(reports.map((r) => r.alerts_opened).reduce((a, b) => Number(a) + Number(b), 0)).toBe(1);
    expect(reports.map((r) => r.alert_mails_queued).reduce((a, b) => Number(a) + Number(b), 0)).toBe(1);
    await Promise.all([runCron(CRONS.everyFiveMinutes), runCron(CRONS.everyFiveMinutes)]);
    expect(await alertEvents(`credential_stuffing:${ip}`)).toHaveLength(1);
  });

  it('closes after the quiet period, and a recurrence alerts again', async () => {
    const now = freshTime();
    const ip = '203.0.113.14';
    await stuffing(ip, now);
    at(now);
    await runCron(CRONS.everyFiveMinutes);

    // An hour later the window is clean: nothing is found, nothing is raised.
    at(now + 61 * MINUTE);
    expect(await securityAnalysis.run(jobContext())).toMatchObject({ findings: 0, alerts_opened: 0 });

    const again = now + 2 * 60 * MINUTE;
    await stuffing(ip, again);
    at(again);
    expect(await securityAnalysis.run(jobContext())).toMatchObject({ alerts_opened: 1 });
    expect((await alertEvents(`credential_stuffing:${ip}`)).map((e) => e.created_at)).toEqual([now, again]);
    expect(await alertRow(`credential_stuffing:${ip}`)).toMatchObject({ first_seen_at: again });
  });

  it('stays quiet below the thresholds and outside the window', async () => {
    const now = freshTime();
    // 19 failures over 4 accounts: one short of the failure threshold.
    await seedAuditEvents({ count: 19, type: 'login_failed', at: now - MINUTE, ip: '203.0.113.20', userIds: accounts.slice(0, 4) });
    // 40 failures on 2 accounts: a brute force, not stuffing (lockout handles it).
    await seedAuditEvents({ count: 40, type: 'login_failed', at: now - MINUTE, ip: '203.0.113.21', userIds: accounts.slice(0, 2) });
    // Plenty, but 16 minutes ago: outside the 15-minute window.
    await seedAuditEvents({ count: 40, type: 'login_failed', at: now - 16 * MINUTE, ip: '203.0.113.22', userIds: accounts });
    // Plenty, but in the future of this run.
    await seedAuditEvents({ count: 40, type: 'login_failed', at: now + MINUTE, ip: '203.0.113.23', userIds: accounts });
    at(now);
    expect(await securityAnalysis.run(jobContext())).toMatchObject({ findings: 0, alerts_opened: 0 });
  });

  it('catches it from real failed logins through the API (thresholds from config)', async () => {
    const ip = '203.0.113.30';
    const victims = [await createVerifiedUser(), await createVerifiedUser(), await createVerifiedUser()];
    for (const victim of victims) {
      for (let i = 0; i < 2; i++) {
        const res = await api('/api/v1/auth/login', { body: { email: victim.email, password: `${STRONG_PASSWORD}x` }, ip });
        expect(res.status).toBe(401);
      }
    }
    const lowered = { ...env, ALERT_STUFFING_FAILURES: '6', ALERT_STUFFING_ACCOUNTS: '3' };
    expect(await securityAnalysis.run(jobContext(lowered))).toMatchObject({ alerts_opened: 1 });
    expect(JSON.parse((await alertEvents(`credential_stuffing:${ip}`))[0]!.metadata)).toMatchObject({ failures: 6, accounts: 3 });
  });
});

describe('security analysis: stuffing with addresses that have no account', () => {
  it('counts each guessed name as a target, so unknown addresses count too', async () => {
    const ip = '203.0.113.31';
    for (let i = 0; i < 6; i++) {
      const res = await api('/api/v1/auth/login', { body: { email: `nobody.${i}.${crypto.randomUUID().slice(0, 6)}@example.com`, password: 'Guess-Guess-1' }, ip });
      expect(res.status).toBe(401);
    }
    const lowered = { ...env, ALERT_STUFFING_FAILURES: '6', ALERT_STUFFING_ACCOUNTS: '3' };
    expect(await securityAnalysis.run(jobContext(lowered))).toMatchObject({ alerts_opened: 1 });
    expect(JSON.parse((await alertEvents(`credential_stuffing:${ip}`))[0]!.metadata)).toMatchObject({ failures: 6, accounts: 6 });
  });
});

describe('security analysis: lockouts and refresh-token reuse', () => {
  it('many lockouts in the window raise one lockout_wave alert', async () => {
    const quiet = freshTime();
    await seedAuditEvents({ count: 9, type: 'account_locked', at: quiet - MINUTE, ip: '198.51.100.1' });
    at(quiet);
    expect(await securityAnalysis.run(jobContext())).toMatchObject({ findings: 0 });

    const now = freshTime();
    await seedAuditEvents({ count: 6, type: 'account_locked', at: now - MINUTE, ip: '198.51.100.1' });
    await seedAuditEvents({ count: 6, type: 'account_locked', at: now - 2 * MINUTE, ip: '198.51.100.2' });
    at(now);
    await runCron(CRONS.everyFiveMinutes);
    const [event] = await alertEvents('lockout_wave');
    expect(JSON.parse(event!.metadata)).toMatchObject({ alert: 'lockout_wave', lockouts: 12, ips: 2 });
    await waitForMail(admin.email, { subject: /Security alert: many lockouts/ });
  });

  it('a replayed refresh token raises an alert about that account', async () => {
    const user = await createVerifiedUser();
    const first = await login(user);
    const rotated = await api('/api/v1/auth/refresh', { body: { refresh: first.refresh } });
    expect(rotated.status).toBe(200);
    const replayAt = Date.now() + 30_000; // past the 10 s grace
    at(replayAt);
    expect((await api('/api/v1/auth/refresh', { body: { refresh: first.refresh } })).status).toBe(401);
    expect(await countRows("SELECT COUNT(*) AS n FROM audit_events WHERE type = 'refresh_reuse_detected' AND user_id = ?", user.id)).toBe(1);

    at(replayAt + MINUTE);
    await runCron(CRONS.everyFiveMinutes);
    const events = await alertEvents(`refresh_reuse:${user.id}`);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ severity: 'high', user_id: user.id });
    await waitForMail(admin.email, { subject: /Security alert: refresh token reuse/, predicate: (m) => m.text.includes(user.id) });
  });

  it('alert mail goes only to active, verified, live admins', async () => {
    const [unverified, deleted] = [await createVerifiedUser(), await createVerifiedUser()];
    await env.DB.prepare("UPDATE users SET role = 'admin', email_verified = 0 WHERE id = ?").bind(unverified.id).run();
    await env.DB.prepare("UPDATE users SET role = 'admin', deleted_at = 1 WHERE id = ?").bind(deleted.id).run();
    const now = freshTime();
    await stuffing('203.0.113.40', now);
    at(now);
    expect(await securityAnalysis.run(jobContext())).toMatchObject({ alerts_opened: 1, alert_mails_queued: 1 });
  });
});
