import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDb } from '../src/db/client';
import { auditInsert } from '../src/audit/record';
import { clock } from '../src/clock';
import { auditEvents } from '../src/db/schema';
import { auditListOrderFor, auditListWhere } from '../src/admin/audit-list';
import { auditListQuery } from '../src/admin/schemas';
import { api } from './helpers/api';
import { createVerifiedUser, login } from './helpers/users';
import { adminApi, signedIn } from './admin.fixtures';
import { eventRows, fetchFromCountry, insertLegacyEvent } from './events.fixtures';

const db = createDb(env.DB);

describe('event store: rows from before issue 14', () => {
  it('reads an old info/warning row as low/medium with its catalogue category, and filters find it', async () => {
    const user = await createVerifiedUser();
    const { access } = await login(user);
    const at = clock.now() - 60_000;
    const infoId = await insertLegacyEvent({ type: 'password_changed', severity: 'info', userId: user.id, at });
    const warnId = await insertLegacyEvent({ type: 'password_reset', severity: 'warning', userId: user.id, at: at + 1 });

    const mine = await api(`/api/v1/events?since=${new Date(at - 1).toISOString()}`, { token: access });
    expect(mine.status).toBe(200);
    const info = mine.body.results.find((e: any) => e.id === infoId);
    expect(info).toMatchObject({ event_type: 'password_changed', category: 'account', severity: 'low', success: true, risk_score: 0, requires_review: false, metadata: { old: true } });
    expect(mine.body.results.find((e: any) => e.id === warnId)).toMatchObject({ severity: 'medium' });

    const low = await api('/api/v1/events?severity=low&category=account&type=password_changed', { token: access });
    expect(low.body.results.map((e: any) => e.id)).toContain(infoId);
    const medium = await api('/api/v1/events?severity=medium', { token: access });
    expect(medium.body.results.map((e: any) => e.id)).toEqual([warnId]);

    const admin = await signedIn('admin');
    const listed = await adminApi(admin, `/audit-events?user=${user.id}&severity=warning`);
    expect(listed.status).toBe(200);
    expect(listed.body.results.map((e: any) => [e.id, e.severity])).toEqual([[warnId, 'medium']]);
  });
});

describe('event store: recording', () => {
  it('existing recorders still write, with the catalogue filling category, success and severity', async () => {
    const user = await createVerifiedUser();
    const bad = await api('/api/v1/auth/login', { body: { email: user.email, password: 'wrong-password-123' } });
    expect(bad.status).toBe(401);
    await login(user);
    const [failed] = await eventRows("user_id = ? AND type = 'login_failed'", user.id);
    expect(failed).toMatchObject({ category: 'security', severity: 'medium', success: 0 });
    const [ok] = await eventRows("user_id = ? AND type = 'login_succeeded'", user.id);
    expect(ok!).toMatchObject({ category: 'account', severity: 'low', success: 1 });
    expect(ok!.session_id).toBeTruthy();
  });

  it('scores recent failures from the same IP into the next event from it', async () => {
    const user = await createVerifiedUser();
    const ip = '203.0.113.77';
    for (let i = 0; i < 4; i++) {
      const res = await api('/api/v1/auth/login', { ip, body: { email: user.email, password: `wrong-password-${i}` } });
      expect(res.status).toBe(401);
    }
    const failures = await eventRows("user_id = ? AND type = 'login_failed' AND ip = ?", user.id, ip);
    // medium 20 + failure 15 + 3 per earlier failure from this IP.
    expect(failures.map((e) => e.risk_score)).toEqual([35, 38, 41, 44]);
    await login(user, {});
    const other = await eventRows("user_id = ? AND type = 'login_succeeded'", user.id);
    expect(other[0]!.risk_score).toBe(0); // another IP: nothing carried over
  });

  it('stops counting IP failures at the cap and outside the window', async () => {
    const ip = '203.0.113.78';
    const at = clock.now();
    await db.batch([
      auditInsert(db, { type: 'login_failed', ip, at: at - 16 * 60_000 }),
      ...Array.from({ length: 14 }, () => auditInsert(db, { type: 'login_failed', ip, at: at - 60_000 })),
    ]);
    await auditInsert(db, { type: 'login_succeeded', ip, at });
    const [last] = await eventRows("ip = ? AND type = 'login_succeeded'", ip);
    expect(last!.risk_score).toBe(30); // 10 (cap) × 3
  });

  it('flags sensitive types for review whatever the score', async () => {
    const target = await createVerifiedUser();
    const admin = await signedIn('admin');
    const res = await adminApi(admin, `/users/${target.id}`, { method: 'PATCH', body: { role: 'manager' } });
    expect(res.status).toBe(200);
    const [changed] = await eventRows("user_id = ? AND type = 'admin_role_changed'", target.id);
    expect(changed).toMatchObject({ requires_review: 1, severity: 'high' });
  });

  it('scores a sign-in from a new country and a new device', async () => {
    const user = await createVerifiedUser({ device: { fingerprint_hash: 'device-one' } });
    const ip = '203.0.113.90';
    const body = (fingerprint: string) => JSON.stringify({ email: user.email, password: user.password, device: { fingerprint_hash: fingerprint } });
    const init = (fingerprint: string) => ({ method: 'POST', ip, headers: { 'Content-Type': 'application/json' }, body: body(fingerprint) });
    expect((await fetchFromCountry('/api/v1/auth/login', 'DE', init('device-one'))).status).toBe(200);
    expect((await fetchFromCountry('/api/v1/auth/login', 'DE', init('device-one'))).status).toBe(200);
    expect((await fetchFromCountry('/api/v1/auth/login', 'BR', init('device-one'))).status).toBe(200);
    expect((await fetchFromCountry('/api/v1/auth/login', 'BR', init('device-two'))).status).toBe(200);
    const logins = await eventRows("user_id = ? AND type = 'login_succeeded'", user.id);
    expect(logins.map((e) => [e.country, e.risk_score])).toEqual([
      ['DE', 0], // the first country an account is seen from is not "new"
      ['DE', 0],
      ['BR', 25], // new country
      ['BR', 20], // new device
    ]);
  });
});

describe('event store: the reads of recording are index searches', () => {
  async function plan(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string> {
    const { sql: text, params } = query.toSQL();
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${text}`).bind(...params).all<{ detail: string }>();
    return results.map((r) => r.detail).join(' | ');
  }

  it('the risk subqueries use the partial failures index, (user_id, country) and the devices key', async () => {
    const steps = await plan(
      auditInsert(db, { type: 'login_succeeded', userId: 'u', ip: '192.0.2.9', country: 'DE', newDevice: { fingerprint: 'f' }, at: clock.now() }),
    );
    expect(steps).toContain('audit_events_ip_failures_idx');
    expect(steps).toContain('audit_events_user_country_idx');
    expect(steps).toContain('devices_user_fingerprint_unique');
    expect(steps).not.toMatch(/SCAN audit_events(?! USING)/);
  });
});

describe('event store: the new admin filters lead their indexes', () => {
  it('requires_review/reviewed, target_user and min_risk', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ requires_review: 'true', reviewed: 'false' }, 'audit_events_review_created_idx'],
      [{ target_user: 'u1' }, 'audit_events_target_created_idx'],
      [{ min_risk: '70' }, 'audit_events_risk_created_idx'],
    ];
    for (const [filters, index] of cases) {
      const parsed = auditListQuery.parse(filters);
      const query = db.select().from(auditEvents).where(auditListWhere(parsed)).orderBy(...auditListOrderFor(parsed)).limit(25);
      const { sql: text, params } = query.toSQL();
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${text}`).bind(...params).all<{ detail: string }>();
      const steps = results.map((r) => r.detail).join(' | ');
      expect(steps, JSON.stringify(filters)).toContain(`SEARCH audit_events USING INDEX ${index}`);
    }
  });
});
