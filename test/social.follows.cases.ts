import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { api } from './helpers/api';
import { counts, insertBlock, insertFollow, setPrivate, socialUser, sql, type SocialUser } from './helpers/social';
import { callWorker } from './otp.helpers';

const followUser = (by: SocialUser, body: Record<string, unknown>) => api('/api/v1/follows', { token: by.access, body });
const SIGN_IN_EVENTS = ['user_registered', 'login_succeeded'];
const auditTypes = async (actorId: string) =>
  (await env.DB.prepare('SELECT type FROM audit_events WHERE actor_id = ? ORDER BY created_at, rowid').bind(actorId).all<{ type: string }>()).results
    .map((r) => r.type)
    .filter((t) => !SIGN_IN_EVENTS.includes(t));

describe('POST /api/v1/follows', () => {
  it('public target: 201 accepted, counts on both sides, 200 for the same again, then unfollow and re-follow', async () => {
    const [a, b] = [await socialUser(), await socialUser()];
    const first = await followUser(a, { user_id: b.id });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ follower: a.id, followed: b.id, status: 'accepted' });
    expect(Object.keys(first.body).sort()).toEqual(['created_at', 'followed', 'follower', 'id', 'status']);
    const again = await followUser(a, { followed: b.id });
    expect([again.status, again.body.id]).toEqual([200, first.body.id]);
    expect(await counts(b.id)).toEqual({ follower_count: 1, following_count: 0 });
    expect(await counts(a.id)).toEqual({ follower_count: 0, following_count: 1 });

    expect((await api(`/api/v1/follows/${first.body.id}`, { method: 'DELETE', token: a.access })).status).toBe(204);
    expect(await counts(b.id)).toEqual({ follower_count: 0, following_count: 0 });
    const refollow = await followUser(a, { following: b.id });
    expect(refollow.status).toBe(201);
    expect(await auditTypes(a.id)).toEqual(['follow', 'unfollow', 'follow']);
  });

  it('private target: pending, no count, listed in the requests; approve counts; reject removes it', async () => {
    const owner = await socialUser();
    await setPrivate(owner.id);
    const [asker, other] = [await socialUser(), await socialUser()];
    const req = await followUser(asker, { user_id: owner.id });
    expect([req.status, req.body.status]).toEqual([201, 'pending']);
    const req2 = (await followUser(other, { user_id: owner.id })).body;
    expect(await counts(owner.id)).toEqual({ follower_count: 0, following_count: 0 });

    const requests = await api('/api/v1/follows/requests', { token: owner.access });
    expect(requests.body.count).toBe(2);
    // Only the followed user decides.
    expect((await api(`/api/v1/follows/${req.body.id}/approve`, { method: 'POST', token: asker.access })).status).toBe(404);
    const approved = await api(`/api/v1/follows/${req.body.id}/approve`, { method: 'POST', token: owner.access });
    expect([approved.status, approved.body.status]).toEqual([200, 'accepted']);
    expect(await counts(owner.id)).toEqual({ follower_count: 1, following_count: 0 });
    expect(await counts(asker.id)).toEqual({ follower_count: 0, following_count: 1 });
    expect((await api(`/api/v1/follows/${req2.id}/reject`, { method: 'POST', token: owner.access })).status).toBe(204);
    expect((await api('/api/v1/follows/requests', { token: owner.access })).body.count).toBe(0);
    expect(await auditTypes(owner.id)).toEqual(['follow_approved', 'follow_rejected']);
    expect((await api(`/api/v1/profiles/${owner.id}`, { token: asker.access })).body.follow_status).toBe('following');
    expect((await api(`/api/v1/profiles/${owner.id}`, { token: other.access })).body.follow_status).toBe('none');
  });

  it('the followed user removes a follower (follower_removed)', async () => {
    const [a, b] = [await socialUser(), await socialUser()];
    const f = (await followUser(a, { user_id: b.id })).body;
    const stranger = await socialUser();
    expect((await api(`/api/v1/follows/${f.id}`, { method: 'DELETE', token: stranger.access })).status).toBe(404);
    expect((await api(`/api/v1/follows/${f.id}`, { method: 'DELETE', token: b.access })).status).toBe(204);
    expect(await counts(a.id)).toEqual({ follower_count: 0, following_count: 0 });
    expect(await auditTypes(b.id)).toEqual(['follower_removed']);
  });

  it('400 on yourself, on a missing id; 404 for unknown, malformed, hidden targets', async () => {
    const [a, hidden] = [await socialUser(), await socialUser()];
    const self = await followUser(a, { user_id: a.id });
    expect([self.status, Object.keys(self.body.error.fields)]).toEqual([400, ['user_id']]);
    expect((await followUser(a, {})).status).toBe(400);
    expect((await followUser(a, { user_id: 42 })).status).toBe(400);
    for (const id of [crypto.randomUUID(), 'nope', '../admin']) expect((await followUser(a, { user_id: id })).status).toBe(404);
    await sql('UPDATE profiles SET is_suspended = 1 WHERE user_id = ?', hidden.id);
    expect((await followUser(a, { user_id: hidden.id })).status).toBe(404);
  });

  it('GET /follows lists the caller\'s rows, filtered by follower=me / followed=me / status', async () => {
    const [a, b, c] = [await socialUser(), await socialUser(), await socialUser()];
    await setPrivate(c.id);
    await followUser(a, { user_id: b.id });
    await followUser(a, { user_id: c.id });
    await followUser(b, { user_id: a.id });
    expect((await api('/api/v1/follows', { token: a.access })).body.count).toBe(3);
    expect((await api('/api/v1/follows?follower=me', { token: a.access })).body.count).toBe(2);
    expect((await api('/api/v1/follows?followed=me', { token: a.access })).body.count).toBe(1);
    expect((await api('/api/v1/follows?follower=me&status=pending', { token: a.access })).body.results).toMatchObject([{ followed: c.id }]);
    expect((await api('/api/v1/follows?status=maybe', { token: a.access })).status).toBe(400);
  });
});

describe('counts under concurrency', () => {
  it('20 users follow one at once, then half unfollow at once: counts are exact', async () => {
    const target = await socialUser();
    const fans: SocialUser[] = [];
    for (let i = 0; i < 20; i++) fans.push(await socialUser());
    const made = await Promise.all(fans.map((f) => followUser(f, { user_id: target.id })));
    expect(made.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect((await counts(target.id))!.follower_count).toBe(20);
    const gone = await Promise.all(made.slice(0, 10).map((r, i) => api(`/api/v1/follows/${r.body.id}`, { method: 'DELETE', token: fans[i]!.access })));
    expect(gone.map((r) => r.status)).toEqual(Array(10).fill(204));
    expect((await counts(target.id))!.follower_count).toBe(10);
    for (const f of fans) expect((await counts(f.id))!.following_count).toBe(fans.indexOf(f) < 10 ? 0 : 1);
    const page = await api(`/api/v1/users/${target.id}/followers?page_size=100`, { token: fans[15]!.access });
    expect(page.body.count).toBe(10);
  });

  it('the same follow sent 5 times at once makes one row', async () => {
    const [a, b] = [await socialUser(), await socialUser()];
    const all = await Promise.all(Array.from({ length: 5 }, () => followUser(a, { user_id: b.id })));
    expect(all.filter((r) => r.status === 201)).toHaveLength(1);
    expect(all.every((r) => r.status === 201 || r.status === 200)).toBe(true);
    expect(new Set(all.map((r) => r.body.id)).size).toBe(1);
    expect((await counts(b.id))!.follower_count).toBe(1);
  });
});

describe('GET /users/{id}/followers|following', () => {
  it('cards of visible people only; a private profile\'s lists only for followers', async () => {
    const owner = await socialUser();
    const [f1, f2, viewer] = [await socialUser(), await socialUser(), await socialUser()];
    await followUser(f1, { user_id: owner.id });
    await followUser(f2, { user_id: owner.id });
    await sql('UPDATE profiles SET is_suspended = 1 WHERE user_id = ?', f2.id);
    const page = await api(`/api/v1/users/${owner.id}/followers`, { token: viewer.access });
    expect(page.body).toMatchObject({ count: 1, results: [{ user_id: f1.id, follow_status: 'none' }] });
    expect(page.body.results[0]).not.toHaveProperty('email');
    expect((await api(`/api/v1/users/${f1.id}/following`, { token: viewer.access })).body.results.map((r: { user_id: string }) => r.user_id)).toEqual([owner.id]);
    await setPrivate(owner.id);
    expect((await api(`/api/v1/users/${owner.id}/followers`, { token: viewer.access })).status).toBe(403);
    expect((await api(`/api/v1/users/${owner.id}/followers`, { token: f1.access })).status).toBe(200);
    expect((await api(`/api/v1/users/${crypto.randomUUID()}/followers`, { token: viewer.access })).status).toBe(404);
  });
});

describe('blocks', () => {
  it('removes follows and requests both ways with counts; the blocked user cannot find or follow the blocker, and is not told', async () => {
    const [a, b] = [await socialUser(), await socialUser()];
    await followUser(a, { user_id: b.id });
    await followUser(b, { user_id: a.id });
    const blocked = await api('/api/v1/blocks', { token: a.access, body: { user_id: b.id, reason: 'spam' } });
    expect(blocked.status).toBe(201);
    expect(blocked.body).toMatchObject({ blocker: a.id, blocked: b.id, reason: 'spam' });
    expect((await api('/api/v1/blocks', { token: a.access, body: { user_id: b.id } })).status).toBe(200);
    expect(await counts(a.id)).toEqual({ follower_count: 0, following_count: 0 });
    expect(await counts(b.id)).toEqual({ follower_count: 0, following_count: 0 });

    const neverExisted = await api(`/api/v1/profiles/${crypto.randomUUID()}`, { token: b.access });
    const seen = await api(`/api/v1/profiles/${a.id}`, { token: b.access });
    expect([seen.status, seen.body.error.code, seen.body.error.message]).toEqual([neverExisted.status, neverExisted.body.error.code, neverExisted.body.error.message]);
    expect((await followUser(b, { user_id: a.id })).status).toBe(404);
    expect((await api(`/api/v1/profiles?search=${a.username}`, { token: b.access })).body.count).toBe(0);
    // The blocked user may still block back, answered as any block: nothing says they were blocked.
    expect((await api('/api/v1/blocks', { token: b.access, body: { user_id: a.id } })).status).toBe(201);
    expect((await api('/api/v1/blocks', { token: b.access })).body).toMatchObject({ count: 1, results: [{ blocked: a.id }] });
    expect((await api('/api/v1/follows', { token: b.access })).body.count).toBe(0);
  });

  it('no follow can be written across a block, either way, whatever the path (the database refuses it)', async () => {
    const [a, b] = [await socialUser(), await socialUser()];
    await insertBlock(a.id, b.id);
    await expect(insertFollow(b.id, a.id, 'accepted')).rejects.toThrow(/follow_across_block/);
    await expect(insertFollow(a.id, b.id, 'pending')).rejects.toThrow(/follow_across_block/);
    const { results } = await env.DB.prepare('SELECT id FROM follows WHERE follower_id IN (?, ?)').bind(a.id, b.id).all();
    expect(results).toEqual([]);
  });

  it('a follow racing a block never survives it: after both, no follow either way and counts are 0', async () => {
    const pairs = await Promise.all(Array.from({ length: 6 }, async () => [await socialUser(), await socialUser()] as const));
    await Promise.all(
      pairs.map(async ([follower, blocker]) => {
        const [followed, blocked] = await Promise.all([
          followUser(follower, { user_id: blocker.id }),
          api('/api/v1/blocks', { token: blocker.access, body: { user_id: follower.id } }),
        ]);
        expect(blocked.status).toBe(201);
        // Either the follow went first (and the block removed it) or it met the block (404).
        expect([201, 404]).toContain(followed.status);
      }),
    );
    for (const [follower, blocker] of pairs) {
      const { results } = await env.DB.prepare('SELECT id FROM follows WHERE (follower_id = ? AND followed_id = ?) OR (follower_id = ? AND followed_id = ?)')
        .bind(follower.id, blocker.id, blocker.id, follower.id)
        .all();
      expect(results).toEqual([]);
      expect(await counts(follower.id)).toEqual({ follower_count: 0, following_count: 0 });
      expect(await counts(blocker.id)).toEqual({ follower_count: 0, following_count: 0 });
    }
  });

  it('unblock (own blocks only), 400 on yourself, 404 for unknown; audited', async () => {
    const [a, b] = [await socialUser(), await socialUser()];
    expect((await api('/api/v1/blocks', { token: a.access, body: { user_id: a.id } })).status).toBe(400);
    expect((await api('/api/v1/blocks', { token: a.access, body: { user_id: crypto.randomUUID() } })).status).toBe(404);
    const row = (await api('/api/v1/blocks', { token: a.access, body: { user_id: b.id } })).body;
    expect((await api(`/api/v1/blocks/${row.id}`, { method: 'DELETE', token: b.access })).status).toBe(404);
    expect((await api(`/api/v1/blocks/${row.id}`, { method: 'DELETE', token: a.access })).status).toBe(204);
    expect((await api(`/api/v1/profiles/${a.id}`, { token: b.access })).status).toBe(200);
    expect(await auditTypes(a.id)).toEqual(['block', 'unblock']);
  });
});

describe('social writes: budgets and guards', () => {
  it('follows and blocks spend per-user budgets (429 with Retry-After)', async () => {
    const [a, b, c] = [await socialUser(), await socialUser(), await socialUser()];
    const limits = { LIMIT_FOLLOWS: '1/86400', LIMIT_BLOCKS: '1/86400' };
    expect((await callWorker('/api/v1/follows', { token: a.access, body: { user_id: b.id }, env: limits })).status).toBe(201);
    const over = await callWorker('/api/v1/follows', { token: a.access, body: { user_id: c.id }, env: limits });
    expect(over.status).toBe(429);
    expect(over.headers.get('Retry-After')).toBeTruthy();
    expect((await callWorker('/api/v1/blocks', { token: a.access, body: { user_id: b.id }, env: limits })).status).toBe(201);
    expect((await callWorker('/api/v1/blocks', { token: a.access, body: { user_id: c.id }, env: limits })).status).toBe(429);
  });

  it('a revoked session cannot follow (401)', async () => {
    const [a, b] = [await socialUser(), await socialUser()];
    await api('/api/v1/auth/logout-all', { method: 'POST', token: a.access });
    expect((await followUser(a, { user_id: b.id })).status).toBe(401);
  });
});
