import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { api } from './helpers/api';
import { insertFollow, socialUser, sql } from './helpers/social';
import { createDb } from '../src/db/client';
import { profileListCount, profileListPage } from '../src/profiles/search';
import { profileListQuery } from '../src/profiles/schemas';
import { follows, profiles, users } from '../src/db/schema';
import { and, eq } from 'drizzle-orm';
import { relationCount, relationPage } from '../src/follows/lists';

const db = createDb(env.DB);

async function plan(query: { toSQL(): { sql: string; params: unknown[] } }): Promise<string[]> {
  const { sql: text, params } = query.toSQL();
  const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${text}`).bind(...params).all<{ detail: string }>();
  return results.map((r) => r.detail);
}

describe('GET /api/v1/profiles: search and filters', () => {
  it('searches by prefix of username or display name (case-insensitive), filters, and pages as DRF', async () => {
    const tag = crypto.randomUUID().slice(0, 6);
    const viewer = await socialUser();
    const a = await socialUser({ username: `zeb${tag}a` });
    const b = await socialUser({ username: `other${tag}` });
    await sql("UPDATE profiles SET display_name = ?, country = 'NO', is_verified = 1 WHERE user_id = ?", `Zeb${tag} Builder`, b.id);
    const found = await api(`/api/v1/profiles?search=ZEB${tag}`, { token: viewer.access });
    expect(found.status).toBe(200);
    expect(found.body.count).toBe(2);
    expect(found.body.results.map((r: { user_id: string }) => r.user_id).sort()).toEqual([a.id, b.id].sort());
    expect(found.body.results[0]).toHaveProperty('follow_status', 'none');
    expect(found.body.results[0]).not.toHaveProperty('email');
    // A middle-of-the-word match is not a prefix.
    expect((await api(`/api/v1/profiles?search=${tag}`, { token: viewer.access })).body.results.map((r: { user_id: string }) => r.user_id)).not.toContain(a.id);

    const filtered = await api(`/api/v1/profiles?search=zeb${tag}&country=no&is_verified=true`, { token: viewer.access });
    expect(filtered.body.results.map((r: { user_id: string }) => r.user_id)).toEqual([b.id]);
    const paged = await api(`/api/v1/profiles?search=zeb${tag}&page_size=1`, { token: viewer.access });
    expect(paged.body).toMatchObject({ count: 2, previous: null });
    expect(paged.body.next).toContain('page=2');
  });

  it('refuses bad filters with 400 validation_failed and fields', async () => {
    const viewer = await socialUser();
    const res = await api('/api/v1/profiles?country=Norway&account_type=robot&is_verified=maybe', { token: viewer.access });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['account_type', 'country', 'is_verified']);
  });
});

describe('PATCH /api/v1/auth/me: the social profile fields', () => {
  it('writes owner fields, drops counts, scores, is_verified and suspension, and shows them in /auth/me', async () => {
    const me = await socialUser();
    const res = await api('/api/v1/auth/me', {
      method: 'PATCH',
      token: me.access,
      body: {
        profile: {
          display_name: 'Ada L',
          country: 'gb',
          city: 'London',
          show_location: true,
          cover_media_type: 'video',
          date_of_birth: '1815-12-10',
          follower_count: 1000,
          is_verified: true,
          is_suspended: true,
          engagement_score: 9,
        },
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(400); // 1815 is before 1900
    const ok = await api('/api/v1/auth/me', {
      method: 'PATCH',
      token: me.access,
      body: { profile: { display_name: 'Ada L', country: 'gb', city: 'London', show_location: true, date_of_birth: '1990-12-10', follower_count: 1000, is_verified: true, is_suspended: true, engagement_score: 9 } },
    });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.profile).toMatchObject({ display_name: 'Ada L', country: 'GB', city: 'London', show_location: true, follower_count: 0, is_verified: false, is_suspended: false });
    expect(ok.body.profile).not.toHaveProperty('engagement_score');
  });

  it('is_private writes profile_visibility; going public accepts pending requests with exact counts', async () => {
    const owner = await socialUser();
    const asker = await socialUser();
    expect((await api('/api/v1/auth/me', { method: 'PATCH', token: owner.access, body: { profile: { is_private: true } } })).body.profile.is_private).toBe(true);
    expect((await env.DB.prepare('SELECT profile_visibility v FROM profiles WHERE user_id = ?').bind(owner.id).first<{ v: string }>())!.v).toBe('private');
    await insertFollow(asker.id, owner.id, 'pending');
    const pub = await api('/api/v1/auth/me', { method: 'PATCH', token: owner.access, body: { profile: { is_private: false } } });
    expect(pub.body.profile).toMatchObject({ is_private: false, follower_count: 1 });
    const follow = await env.DB.prepare('SELECT status FROM follows WHERE follower_id = ?').bind(asker.id).first<{ status: string }>();
    expect(follow!.status).toBe('accepted');
    expect((await api(`/api/v1/profiles/${asker.id}`, { token: asker.access })).body.following_count).toBe(1);
    const audit = await env.DB.prepare("SELECT count(*) n FROM audit_events WHERE type = 'privacy_changed' AND user_id = ?").bind(owner.id).first<{ n: number }>();
    expect(audit!.n).toBe(2);
  });

  it('a non-UUID or unknown id is 404, never 500', async () => {
    const me = await socialUser();
    for (const id of ['123', '%00', 'x'.repeat(500), crypto.randomUUID()]) {
      expect((await api(`/api/v1/profiles/${id}`, { token: me.access })).status).toBe(404);
    }
  });
});

describe('query plans of the hot social reads', () => {
  const viewer = { id: crypto.randomUUID(), role: 'user' as const };

  it('profile by id: primary-key searches only', async () => {
    for (const q of [
      db.select().from(users).where(eq(users.id, viewer.id)),
      db.select().from(profiles).where(eq(profiles.userId, viewer.id)),
      db.select().from(follows).where(and(eq(follows.followerId, viewer.id), eq(follows.followedId, viewer.id))),
    ]) {
      const steps = await plan(q);
      expect(steps.filter((s) => /^SCAN /.test(s)), steps.join(' | ')).toEqual([]);
    }
  });

  it('followers / following page: an index range on follows_(followed|follower)_status_created_idx in order, no sort, no scan', async () => {
    for (const [direction, index] of [
      ['followers', 'follows_followed_status_created_idx'],
      ['following', 'follows_follower_status_created_idx'],
    ] as const) {
      for (const q of [relationPage(db, viewer, viewer.id, direction, { page: 1, page_size: 25 }), relationCount(db, viewer, viewer.id, direction)]) {
        const steps = await plan(q);
        const text = steps.join(' | ');
        expect(text).toContain(`SEARCH follows USING`);
        expect(text).toContain(index);
        expect(text).not.toContain('TEMP B-TREE');
        expect(steps.filter((s) => /^SCAN /.test(s)), text).toEqual([]);
      }
    }
  });

  it('search: index ranges on username_key and lower(display_name), never a table scan', async () => {
    const query = profileListQuery.parse({ search: 'Ada' });
    for (const q of [profileListPage(db, viewer, query), profileListCount(db, viewer, query)]) {
      const steps = await plan(q);
      const text = steps.join(' | ');
      expect(text).toContain('users_username_key_unique');
      expect(text).toContain('profiles_display_name_lower_idx');
      // The prefix ranges drive; the visibility filter must not turn into a walk over every live user.
      expect(text).not.toMatch(/users_(active|deleted|verified|role)_/);
      expect(steps[1], text).toMatch(/^LIST SUBQUERY/);
      expect(steps.filter((s) => /^SCAN (users|profiles)\b/.test(s)), text).toEqual([]);
    }
  });
});
