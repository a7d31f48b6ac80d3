import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { api } from './helpers/api';
import { createVerifiedUser, login } from './helpers/users';

afterEach(() => setClock(null));

const refresh = (token: string) => api('/api/v1/auth/refresh', { body: { refresh: token } });

describe('refresh rotation', () => {
  it('rotates: each refresh returns a new pair for the same session', async () => {
    const user = await createVerifiedUser();
    const first = await login(user);
    const second = await refresh(first.refresh);
    expect(second.status).toBe(200);
    expect(second.body.refresh).not.toBe(first.refresh);
    expect(second.body.access).not.toBe(first.access);
    const third = await refresh(second.body.refresh);
    expect(third.status).toBe(200);
    const me = await api('/api/v1/auth/me', { token: third.body.access });
    expect(me.body.id).toBe(user.id);
  });

  it('a repeat within the 10 s grace window gets valid tokens for the same session', async () => {
    let now = Date.now();
    setClock({ now: () => now });
    const user = await createVerifiedUser();
    const first = await login(user);
    const tabA = await refresh(first.refresh);
    now += 5_000;
    const tabB = await refresh(first.refresh);
    expect([tabA.status, tabB.status]).toEqual([200, 200]);
    const sessions = await api('/api/v1/auth/sessions', { token: tabB.body.access });
    expect(sessions.body.results).toHaveLength(1);
    expect((await refresh(tabB.body.refresh)).status).toBe(200);
  });

  it('replaying a used refresh token after the grace window revokes the whole session', async () => {
    let now = Date.now();
    setClock({ now: () => now });
    const user = await createVerifiedUser();
    const first = await login(user);
    const rotated = await refresh(first.refresh);
    now += 11_000;
    const replay = await refresh(first.refresh);
    expect([replay.status, replay.body.error.code]).toEqual([401, 'unauthorized']);
    // The legitimate holder's newer token is dead too: the session is gone.
    expect((await refresh(rotated.body.refresh)).status).toBe(401);
    const event = await env.DB.prepare("SELECT severity FROM audit_events WHERE user_id = ? AND type = 'refresh_reuse_detected'").bind(user.id).first();
    expect(event).toEqual({ severity: 'high' });
  });

  it('10 parallel refreshes of one token all succeed for one session and revoke nothing', async () => {
    const user = await createVerifiedUser();
    const first = await login(user);
    const results = await Promise.all(Array.from({ length: 10 }, () => refresh(first.refresh)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const sessions = await api('/api/v1/auth/sessions', { token: results[0]!.body.access });
    expect(sessions.body.results).toHaveLength(1);
    // Every returned token is of the current generation: any one of them rotates.
    expect((await refresh(results[9]!.body.refresh)).status).toBe(200);
  });

  it('expires after the idle lifetime (7 days) and the absolute lifetime (30 days)', async () => {
    let now = Date.now();
    setClock({ now: () => now });
    const user = await createVerifiedUser();
    const idle = await login(user);
    now += 7 * 86_400_000 + 1000;
    expect((await refresh(idle.refresh)).status).toBe(401);

    let current = (await login(user)).refresh;
    for (let day = 0; day < 29; day++) {
      now += 86_400_000;
      const r = await refresh(current);
      expect(r.status, `day ${day}`).toBe(200);
      current = r.body.refresh;
    }
    now += 86_400_000 + 1000;
    expect((await refresh(current)).status).toBe(401);
  });

  it('refuses an access token as a refresh token and garbage', async () => {
    const user = await createVerifiedUser();
    const tokens = await login(user);
    expect((await refresh(tokens.access)).status).toBe(401);
    expect((await refresh('garbage')).status).toBe(401);
    const asAccess = await api('/api/v1/auth/me', { token: tokens.refresh });
    expect(asAccess.status).toBe(401);
  });

  it('a deactivated user cannot refresh', async () => {
    const user = await createVerifiedUser();
    const tokens = await login(user);
    await env.DB.prepare('UPDATE users SET is_active = 0 WHERE id = ?').bind(user.id).run();
    expect((await refresh(tokens.refresh)).status).toBe(401);
  });

  it('a role change shows in the next refreshed access token', async () => {
    const user = await createVerifiedUser();
    const tokens = await login(user);
    await env.DB.prepare("UPDATE users SET role = 'manager' WHERE id = ?").bind(user.id).run();
    const next = await refresh(tokens.refresh);
    const claims = JSON.parse(atob(next.body.access.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    expect(claims.role).toBe('manager');
  });
});

describe('sessions and logout', () => {
  it('lists sessions with the current one marked, and deletes only your own', async () => {
    const user = await createVerifiedUser();
    const a = await login(user);
    const b = await login(user);
    const list = await api('/api/v1/auth/sessions', { token: a.access, headers: { 'User-Agent': 'TestAgent/1' } });
    expect(list.status).toBe(200);
    expect(list.body.results).toHaveLength(2);
    const current = list.body.results.filter((s: { current: boolean }) => s.current);
    expect(current).toHaveLength(1);
    expect(Object.keys(list.body.results[0]).sort()).toEqual(['created_at', 'current', 'device', 'id', 'ip', 'last_seen_at', 'user_agent']);

    const other = await createVerifiedUser();
    const otherTokens = await login(other);
    const otherSid = (await api('/api/v1/auth/sessions', { token: otherTokens.access })).body.results[0].id;
    const foreign = await api(`/api/v1/auth/sessions/${otherSid}`, { method: 'DELETE', token: a.access });
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'not_found']);
    expect((await refresh(otherTokens.refresh)).status).toBe(200);

    const notCurrent = list.body.results.find((s: { current: boolean }) => !s.current).id;
    expect((await api(`/api/v1/auth/sessions/${notCurrent}`, { method: 'DELETE', token: a.access })).status).toBe(204);
    expect((await refresh(b.refresh)).status).toBe(401);
  });

  it('logout kills that refresh token and its session', async () => {
    const user = await createVerifiedUser();
    const a = await login(user);
    const b = await login(user);
    const out = await api('/api/v1/auth/logout', { body: { refresh: a.refresh } });
    expect(out.status).toBe(204);
    expect((await refresh(a.refresh)).status).toBe(401);
    expect((await refresh(b.refresh)).status).toBe(200);
    expect((await api('/api/v1/auth/logout', { body: { refresh: a.refresh } })).status).toBe(401);
    const kv = await env.KV.list({ prefix: 'revoked:session:' });
    expect(kv.keys.length).toBeGreaterThan(0);
  });

  it('logout-all kills every session of the user', async () => {
    const user = await createVerifiedUser();
    const a = await login(user);
    const b = await login(user);
    expect((await api('/api/v1/auth/logout-all', { method: 'POST', token: a.access })).status).toBe(204);
    expect((await refresh(a.refresh)).status).toBe(401);
    expect((await refresh(b.refresh)).status).toBe(401);
    expect((await api('/api/v1/auth/logout-all', { method: 'POST' })).status).toBe(401);
  });
});
