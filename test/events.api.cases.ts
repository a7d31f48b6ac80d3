import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createDb } from '../src/db/client';
import { auditInsert } from '../src/audit/record';
import { clock } from '../src/clock';
import { utcDay } from '../src/activity/daily-activity';
import { api } from './helpers/api';
import { socialUser } from './helpers/social';
import { eventRows } from './events.fixtures';

const db = createDb(env.DB);

async function clientEvents(userId: string): Promise<number> {
  const row = await env.DB.prepare('SELECT client_events AS n FROM daily_activity WHERE user_id = ? AND day = ?').bind(userId, utcDay(clock.now())).first<{ n: number }>();
  return row?.n ?? 0;
}

describe('GET /events', () => {
  it("answers the caller's own events only: never another user's, nor ones where the caller is only target or actor", async () => {
    const me = await socialUser();
    const other = await socialUser();
    const at = clock.now();
    await db.batch([
      auditInsert(db, { type: 'feature_used', userId: me.id, actorId: me.id, at }),
      // Someone liked my post: their event, I am the target.
      auditInsert(db, { type: 'like', userId: other.id, actorId: other.id, targetUser: me.id, at }),
      // Someone blocked me: about me, but caused by them (and must never tell me).
      auditInsert(db, { type: 'block', userId: me.id, actorId: other.id, at }),
      // I followed someone: about them.
      auditInsert(db, { type: 'follow', userId: other.id, actorId: me.id, at }),
      // Failed sign-ins against my account (no actor) are my security history.
      auditInsert(db, { type: 'login_failed', userId: me.id, at }),
      auditInsert(db, { type: 'page_view', userId: other.id, actorId: other.id, at }),
    ]);
    const res = await api('/api/v1/events?page_size=100', { token: me.access });
    expect(res.status).toBe(200);
    const types = res.body.results.map((e: any) => e.event_type).sort();
    expect(types).toEqual(['feature_used', 'login_failed', 'login_succeeded', 'user_registered']);
    for (const e of res.body.results) expect(Object.keys(e).sort()).toEqual(
      ['category', 'created_at', 'description', 'error_message', 'event_type', 'id', 'ip', 'metadata', 'requires_review', 'reviewed_at', 'reviewed_by', 'risk_score', 'session_id', 'severity', 'success', 'target_user', 'user_agent'].sort(),
    );
    const theirs = await api('/api/v1/events?page_size=100', { token: other.access });
    expect(theirs.body.results.map((e: any) => e.event_type).sort()).toEqual(['like', 'login_succeeded', 'page_view', 'user_registered']);
  });

  it('filters by type, category, severity, since and until, and pages', async () => {
    const me = await socialUser();
    const base = Date.UTC(2031, 0, 1);
    await db.batch([
      auditInsert(db, { type: 'search', userId: me.id, actorId: me.id, at: base }),
      auditInsert(db, { type: 'search', userId: me.id, actorId: me.id, at: base + 1000 }),
      auditInsert(db, { type: 'page_view', userId: me.id, actorId: me.id, at: base + 2000 }),
      auditInsert(db, { type: 'mfa_disabled', userId: me.id, actorId: me.id, at: base + 3000 }),
    ]);
    const get = (q: string) => api(`/api/v1/events?${q}`, { token: me.access });
    expect((await get('type=search')).body.count).toBe(2);
    expect((await get('category=client')).body.count).toBe(3);
    expect((await get('severity=medium')).body.results.map((e: any) => e.event_type)).toEqual(['mfa_disabled']);
    const window = await get(`since=${new Date(base + 1000).toISOString()}&until=${new Date(base + 2000).toISOString()}`);
    expect(window.body.results.map((e: any) => e.event_type)).toEqual(['page_view', 'search']);
    const page2 = await get('category=client&page=2&page_size=2');
    expect(page2.body.results.map((e: any) => e.created_at)).toEqual([new Date(base).toISOString()]);
    expect((await get('category=nope')).status).toBe(400);
    expect((await get('severity=extreme')).status).toBe(400);
  });

  it('needs a bearer token', async () => {
    expect((await api('/api/v1/events')).status).toBe(401);
  });
});

describe('POST /events', () => {
  it('records a client event with the session, counts it in daily activity, and answers it', async () => {
    const me = await socialUser();
    const before = await clientEvents(me.id);
    const res = await api('/api/v1/events', { token: me.access, body: { event_type: 'feature_used', description: 'export', metadata: { feature: 'csv' }, success: false } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ event_type: 'feature_used', category: 'client', severity: 'low', description: 'export', success: false, metadata: { feature: 'csv' }, requires_review: false });
    expect(res.body.session_id).toBeTruthy();
    expect(await clientEvents(me.id)).toBe(before + 1);
  });

  it('refuses security, admin, badge, content and unknown types, big metadata and extra fields with 400, writing nothing', async () => {
    const me = await socialUser();
    const bodies = [
      { event_type: 'login_failed' },
      { event_type: 'admin_role_changed' },
      { event_type: 'badge_earned' },
      { event_type: 'post_create' },
      { event_type: 'no_such_type' },
      {},
      { event_type: 'search', metadata: { q: 'x'.repeat(2100) } },
      { event_type: 'search', metadata: ['not', 'an', 'object'] },
      { event_type: 'search', user_id: 'someone-else' },
    ];
    for (const body of bodies) {
      const res = await api('/api/v1/events', { token: me.access, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('validation_failed');
    }
    expect(await eventRows("user_id = ? AND category = 'client'", me.id)).toEqual([]);
    expect(await clientEvents(me.id)).toBe(0);
  });

  it('accepts metadata up to 2 KiB serialized', async () => {
    const me = await socialUser();
    const q = 'x'.repeat(2048 - JSON.stringify({ q: '' }).length);
    expect((await api('/api/v1/events', { token: me.access, body: { event_type: 'search', metadata: { q } } })).status).toBe(201);
    expect((await api('/api/v1/events', { token: me.access, body: { event_type: 'search', metadata: { q: `${q}x` } } })).status).toBe(400);
  });

  it('allows 60 per user per minute (429 after), counting every one exactly under concurrency', async () => {
    const me = await socialUser();
    const results = await Promise.all(Array.from({ length: 61 }, () => api('/api/v1/events', { token: me.access, body: { event_type: 'page_view' } })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(60);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    expect(await clientEvents(me.id)).toBe(60);
    expect(await eventRows("user_id = ? AND type = 'page_view'", me.id)).toHaveLength(60);
    const other = await socialUser();
    expect((await api('/api/v1/events', { token: other.access, body: { event_type: 'page_view' } })).status).toBe(201);
  });

  it("refuses a signed-out session's token at once", async () => {
    const me = await socialUser();
    expect((await api('/api/v1/auth/logout-all', { method: 'POST', token: me.access })).status).toBe(204);
    expect((await api('/api/v1/events', { token: me.access, body: { event_type: 'page_view' } })).status).toBe(401);
  });
});
