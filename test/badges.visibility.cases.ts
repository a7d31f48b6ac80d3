import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { api } from './helpers/api';
import { insertBlock, insertFollow, setPrivate, socialUser } from './helpers/social';
import { award, badgeAdmin, createBadge } from './badges.fixtures';

const clearLeaderboards = () => Promise.all(['all_time', '30d', '7d'].map((tf) => env.KV.delete(`badges:leaderboard:${tf}`)));
const board = async (token: string, query = '') => (await api(`/api/v1/badges/leaderboard?limit=50${query}`, { token })).body as any[];
const idsOn = (rows: any[]) => rows.map((r) => r.user.user_id);

describe('GET /user-badges under profile visibility', () => {
  it('public: everyone; private: followers only (403 for others); blocked either way or suspended: 404 like no user; staff see all', async () => {
    const [owner, stranger, follower, blocked, blocker] = [await socialUser(), await socialUser(), await socialUser(), await socialUser(), await socialUser()];
    const badge = await createBadge({});
    const held = (await award(owner.id, badge.id)).body;
    const list = (who: { access: string }) => api(`/api/v1/user-badges?user=${owner.id}`, { token: who.access });
    const one = (who: { access: string }) => api(`/api/v1/user-badges/${held.id}`, { token: who.access });

    expect((await list(stranger)).body.map((b: any) => b.id)).toEqual([held.id]);
    expect((await one(stranger)).status).toBe(200);
    await insertBlock(owner.id, blocked.id);
    await insertBlock(blocker.id, owner.id);
    for (const hidden of [blocked, blocker]) {
      const res = await list(hidden);
      expect([res.status, res.body.error.code]).toEqual([404, 'not_found']);
      expect((await one(hidden)).status).toBe(404);
    }
    await setPrivate(owner.id);
    await insertFollow(follower.id, owner.id, 'accepted');
    expect((await list(stranger)).status).toBe(403);
    expect((await one(stranger)).status).toBe(404);
    expect((await list(follower)).status).toBe(200);
    expect((await list(owner)).status).toBe(200);
    expect((await api(`/api/v1/user-badges?user=${owner.id}`, { token: (await badgeAdmin()).token })).status).toBe(200);
    await env.DB.prepare('UPDATE profiles SET is_suspended = 1 WHERE user_id = ?').bind(owner.id).run();
    expect((await list(follower)).status).toBe(404);
  });

  it('inactive badges show to the owner and staff only', async () => {
    const [owner, viewer] = [await socialUser(), await socialUser()];
    const badge = await createBadge({});
    await award(owner.id, badge.id);
    await api(`/api/v1/badges/${badge.id}`, { method: 'PATCH', token: (await badgeAdmin()).token, body: { is_active: false } });
    expect((await api(`/api/v1/user-badges?user=${owner.id}`, { token: viewer.access })).body).toEqual([]);
    expect((await api('/api/v1/user-badges', { token: owner.access })).body).toHaveLength(1);
  });
});

describe('GET /badges/leaderboard', () => {
  it('ranks by points; only live, active, unsuspended users; blocks filtered per viewer after the shared cache', async () => {
    await clearLeaderboards();
    const [top, second, suspended, viewer] = [await socialUser(), await socialUser(), await socialUser(), await socialUser()];
    const big = await createBadge({ rarity: 'legendary', points: 500 });
    const mid = await createBadge({ rarity: 'legendary', points: 450 });
    await award(top.id, big.id);
    await award(top.id, mid.id);
    await award(second.id, big.id);
    await award(suspended.id, big.id);
    await award(suspended.id, mid.id);
    await env.DB.prepare('UPDATE profiles SET is_suspended = 1 WHERE user_id = ?').bind(suspended.id).run();

    const first = await board(viewer.access);
    const ids = idsOn(first);
    expect(ids.indexOf(top.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(top.id)).toBeLessThan(ids.indexOf(second.id));
    expect(ids).not.toContain(suspended.id);
    const topRow = first.find((r) => r.user.user_id === top.id);
    expect(topRow).toMatchObject({ badge_points: 950, total_badges: 2, user: { username: top.username, follow_status: 'none' } });
    expect(topRow.recent_badges.map((b: any) => b.slug).sort()).toEqual([big.slug, mid.slug].sort());
    expect(first.map((r) => r.rank)).toEqual(first.map((_, i) => i + 1));

    // The cache is shared: a block made after it was filled still hides the user from that viewer only.
    await insertBlock(second.id, viewer.id);
    expect(idsOn(await board(viewer.access))).not.toContain(second.id);
    expect(idsOn(await board(top.access))).toContain(second.id);

    // Cached for a few minutes: a new award shows once the cache entry is gone.
    const late = await socialUser();
    await award(late.id, big.id);
    await award(late.id, mid.id);
    expect(idsOn(await board(top.access))).not.toContain(late.id);
    await clearLeaderboards();
    expect(idsOn(await board(top.access))).toContain(late.id);
  });

  it('30d and 7d count only points earned in the window; limit ≤ 50', async () => {
    await clearLeaderboards();
    const [old, recent] = [await socialUser(), await socialUser()];
    const badge = await createBadge({ rarity: 'legendary', points: 499 });
    await award(old.id, badge.id);
    await award(recent.id, badge.id);
    await env.DB.prepare('UPDATE user_badges SET earned_at = ? WHERE user_id = ?').bind(Date.now() - 40 * 86_400_000, old.id).run();
    const all = idsOn(await board(recent.access, '&timeframe=all_time'));
    expect(all).toEqual(expect.arrayContaining([old.id, recent.id]));
    for (const tf of ['30d', '7d']) {
      const rows = await board(recent.access, `&timeframe=${tf}`);
      expect(idsOn(rows)).toContain(recent.id);
      expect(idsOn(rows)).not.toContain(old.id);
      expect(rows.find((r) => r.user.user_id === recent.id).badge_points).toBe(499);
    }
    expect((await api('/api/v1/badges/leaderboard?limit=51', { token: recent.access })).status).toBe(400);
    expect((await api('/api/v1/badges/leaderboard?timeframe=1y', { token: recent.access })).status).toBe(400);
    expect(await board(recent.access, '&timeframe=7d').then((r) => r.length)).toBeLessThanOrEqual(50);
  });
});
