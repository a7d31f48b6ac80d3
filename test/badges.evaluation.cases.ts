import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { api, STRONG_PASSWORD } from './helpers/api';
import { insertBlock, socialUser } from './helpers/social';
import { login } from './helpers/users';
import { badgeAdmin, createBadge, deactivate, eventually, heldSlugs } from './badges.fixtures';
import { badgeSweep } from '../src/badges/sweep';
import { jobContext } from './helpers/maintenance';
import { ingest } from './events.fixtures';

const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);

describe('automatic awards', () => {
  it('a follow earns the followed user a follower_count badge through the queue, and evaluates only the badges that read what changed', async () => {
    const [a, b, star] = [await socialUser(), await socialUser(), await socialUser()];
    const popular = await createBadge({ name: 'Popular (test)', criteria: { type: 'counter', field: 'follower_count', threshold: 2 }, points: 20 });
    // Met by everyone, but reads posts_count: a follow must not evaluate it.
    const posts = await createBadge({ criteria: { type: 'counter', field: 'posts_count', threshold: 0 } });
    try {
      expect((await api('/api/v1/follows', { token: a.access, body: { user_id: star.id } })).status).toBe(201);
      expect((await api('/api/v1/follows', { token: b.access, body: { user_id: star.id } })).status).toBe(201);
      await eventually(async () => expect(await heldSlugs(star.id)).toContain(popular.slug));
      expect(await heldSlugs(star.id)).not.toContain(posts.slug);
      expect(await heldSlugs(a.id)).not.toContain(popular.slug);
      const event = await env.DB.prepare("SELECT actor_id, metadata FROM audit_events WHERE type = 'badge_earned' AND user_id = ?").bind(star.id).first<{ actor_id: string | null; metadata: string }>();
      expect(event!.actor_id).toBeNull();
      expect(JSON.parse(event!.metadata)).toMatchObject({ slug: popular.slug, automatic: true });
      const row = await env.DB.prepare('SELECT progress_data FROM user_badges WHERE user_id = ? AND badge_id = ?').bind(star.id, popular.id).first<{ progress_data: string }>();
      expect(JSON.parse(row!.progress_data)).toEqual({ follower_count: 2, target: 2 });
    } finally {
      await deactivate(posts.id);
      await deactivate(popular.id);
    }
  });

  it('content another service reports (POST /internal/events) earns posts and event badges; a duplicate asks for nothing more', async () => {
    const [author, fan] = [await socialUser(), await socialUser()];
    const firstPost = await createBadge({ criteria: { type: 'counter', field: 'posts_count', threshold: 1 } });
    const liked = await createBadge({ criteria: { type: 'event_based', event_type: 'like', count: 1 } });
    try {
      const post = { event_type: 'post_create', user_id: author.id, content_id: `post-${author.id}`, event_id: `ev-${author.id}` };
      expect((await ingest(post)).status).toBe(200);
      expect((await ingest({ event_type: 'like', user_id: fan.id, target_user: author.id })).status).toBe(200);
      await eventually(async () => expect(await heldSlugs(author.id)).toContain(firstPost.slug));
      await eventually(async () => expect(await heldSlugs(fan.id)).toContain(liked.slug));
      expect(await heldSlugs(fan.id)).not.toContain(firstPost.slug);
    } finally {
      await deactivate(firstPost.id);
      await deactivate(liked.id);
    }
  });

  it('a badge reading badge_points follows from an award in the same evaluation', async () => {
    const [fan, star] = [await socialUser(), await socialUser()];
    const first = await createBadge({ criteria: { type: 'counter', field: 'follower_count', threshold: 1 }, rarity: 'rare', points: 40 });
    const chained = await createBadge({ criteria: { type: 'multi_criteria', requirements: [{ field: 'badge_points', operator: '>=', value: 40 }], logic: 'AND' } });
    try {
      expect((await api('/api/v1/follows', { token: fan.access, body: { user_id: star.id } })).status).toBe(201);
      await eventually(async () => expect(await heldSlugs(star.id)).toEqual(expect.arrayContaining([first.slug, chained.slug])));
    } finally {
      await deactivate(first.id);
      await deactivate(chained.id);
    }
  });

  it('a sign-in earns a login-streak badge (consecutive_days over daily_activity.logins)', async () => {
    const user = await socialUser();
    const streak = await createBadge({ criteria: { type: 'consecutive_days', action: 'login', days: 3 } });
    try {
      // Today's row may exist already: signing the fixture user in counted a login.
      for (const offset of [0, 1, 2]) {
        await env.DB.prepare('INSERT INTO daily_activity (user_id, day, logins) VALUES (?, ?, 1) ON CONFLICT (user_id, day) DO UPDATE SET logins = logins + 1')
          .bind(user.id, day(offset))
          .run();
      }
      await login({ email: user.email, password: STRONG_PASSWORD });
      await eventually(async () => expect(await heldSlugs(user.id)).toContain(streak.slug));
    } finally {
      await deactivate(streak.id);
    }
  });

  it('event_based counts audit events of a type in the timeframe; a queue message with the event fact evaluates it', async () => {
    const user = await socialUser();
    const creator = await createBadge({ criteria: { type: 'event_based', event_type: 'post_create', count: 2, timeframe: '7d' } });
    try {
      const insert = (at: number) =>
        env.DB.prepare("INSERT INTO audit_events (id, type, severity, user_id, metadata, created_at) VALUES (?, 'post_create', 'info', ?, '{}', ?)").bind(crypto.randomUUID(), user.id, at).run();
      await insert(Date.now() - 10 * 86_400_000); // outside the timeframe
      await insert(Date.now());
      await env.JOBS_QUEUE.send({ kind: 'evaluate_badges', user_id: user.id, facts: ['event:post_create'] });
      const progress = async () => (await api(`/api/v1/users/${user.id}/badge-progress`, { token: user.access })).body.eligible_badges.find((e: any) => e.badge.id === creator.id);
      await eventually(async () => expect(await progress()).toMatchObject({ progress: 50, requirements_met: 0, total_requirements: 1 }));
      await insert(Date.now());
      await env.JOBS_QUEUE.send({ kind: 'evaluate_badges', user_id: user.id, facts: ['event:post_create'] });
      await eventually(async () => expect(await heldSlugs(user.id)).toContain(creator.slug));
    } finally {
      await deactivate(creator.id);
    }
  });
});

describe('the daily sweep', () => {
  it('fans out pages of users through the queue: more users than a page all get evaluated', async () => {
    for (let i = 0; i < 5; i++) await socialUser();
    const everyone = await createBadge({ criteria: { type: 'counter', field: 'days_since_join', threshold: 0 } });
    try {
      const live = (await env.DB.prepare('SELECT id FROM users WHERE deleted_at IS NULL AND is_active = 1').all<{ id: string }>()).results.map((r) => r.id);
      expect(live.length).toBeGreaterThan(6);
      await env.JOBS_QUEUE.send({ kind: 'badge_sweep_page', after: null, page_size: 3 });
      await eventually(async () => {
        const { n } = (await env.DB.prepare('SELECT count(*) AS n FROM user_badges WHERE badge_id = ?').bind(everyone.id).first<{ n: number }>())!;
        expect(n).toBe(live.length);
      }, 20_000);
    } finally {
      await deactivate(everyone.id);
    }
  });

  it('the daily job starts the sweep', async () => {
    const user = await socialUser();
    const joined = await createBadge({ criteria: { type: 'join_rank', max: 1_000_000 } });
    try {
      expect(await badgeSweep.run(jobContext())).toEqual({ started: true });
      await eventually(async () => expect(await heldSlugs(user.id)).toContain(joined.slug), 20_000);
    } finally {
      await deactivate(joined.id);
    }
  });
});

describe('GET /users/{id}/badge-progress', () => {
  it('from the same criteria code: counters, multi-criteria; the owner and staff only; hidden users 404', async () => {
    const [owner, fan, stranger, blocker] = [await socialUser(), await socialUser(), await socialUser(), await socialUser()];
    const four = await createBadge({ criteria: { type: 'counter', field: 'follower_count', threshold: 4 } });
    const both = await createBadge({
      criteria: { type: 'multi_criteria', logic: 'AND', requirements: [{ field: 'follower_count', operator: '>=', value: 1 }, { field: 'posts_count', operator: '>=', value: 10 }] },
    });
    try {
      expect((await api('/api/v1/follows', { token: fan.access, body: { user_id: owner.id } })).status).toBe(201);
      const res = await api(`/api/v1/users/${owner.id}/badge-progress`, { token: owner.access });
      expect(res.status).toBe(200);
      const of = (id: string) => res.body.eligible_badges.find((e: any) => e.badge.id === id);
      expect(of(four.id)).toMatchObject({ progress: 25, requirements_met: 0, total_requirements: 1 });
      expect(of(both.id)).toMatchObject({ progress: 50, requirements_met: 1, total_requirements: 2 });
      expect((await api(`/api/v1/users/${owner.id}/badge-progress`, { token: (await badgeAdmin()).token })).status).toBe(200);
      expect((await api(`/api/v1/users/${owner.id}/badge-progress`, { token: stranger.access })).status).toBe(403);
      await insertBlock(owner.id, blocker.id);
      expect((await api(`/api/v1/users/${owner.id}/badge-progress`, { token: blocker.access })).status).toBe(404);
    } finally {
      await deactivate(four.id);
      await deactivate(both.id);
    }
  });
});
