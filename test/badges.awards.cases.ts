import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { api } from './helpers/api';
import { socialUser } from './helpers/social';
import { mailSettled, readMailbox, waitForMail } from './helpers/mail';
import { award, badgeAdmin, createBadge, totals } from './badges.fixtures';

const countOf = async (query: string, ...params: unknown[]) => (await env.DB.prepare(query).bind(...params).first<{ n: number }>())!.n;

describe('awards', () => {
  it('10 parallel awards of one badge: one award, one badge_earned event, the right points', async () => {
    const user = await socialUser();
    const badge = await createBadge({ rarity: 'epic', points: 70 });
    const results = await Promise.all(Array.from({ length: 10 }, () => award(user.id, badge.slug, 'parallel')));
    expect(results.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(await countOf('SELECT count(*) AS n FROM user_badges WHERE user_id = ? AND badge_id = ?', user.id, badge.id)).toBe(1);
    expect(await countOf("SELECT count(*) AS n FROM audit_events WHERE type = 'badge_earned' AND user_id = ?", user.id)).toBe(1);
    expect(await totals(user.id)).toEqual({ badge_points: 70, total_badges: 1 });
  });

  it('parallel awards of different badges sum exactly', async () => {
    const user = await socialUser();
    const badges = await Promise.all([10, 15, 20, 5, 12].map((points) => createBadge({ points })));
    await Promise.all(badges.map((b) => award(user.id, b.id)));
    expect(await totals(user.id)).toEqual({ badge_points: 62, total_badges: 5 });
  });

  it('the award answer is {badge, earned_at, is_featured, progress_data}; staff award by email or username; the event names the staff member', async () => {
    const admin = await badgeAdmin();
    const user = await socialUser();
    const badge = await createBadge({});
    const res = await api('/api/v1/user-badges', { token: admin.token, body: { user_id: user.username, badge: badge.id, reason: 'Helped at the meetup' } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ user: user.id, is_featured: false, progress_data: {}, badge: { id: badge.id, slug: badge.slug } });
    const event = await env.DB.prepare("SELECT actor_id, metadata FROM audit_events WHERE type = 'badge_earned' AND user_id = ?").bind(user.id).first<{ actor_id: string; metadata: string }>();
    expect(event!.actor_id).toBe(admin.id);
    expect(JSON.parse(event!.metadata)).toMatchObject({ slug: badge.slug, reason: 'Helped at the meetup', automatic: false, actor_role: 'admin' });
    expect((await api('/api/v1/user-badges', { token: admin.token, body: { user_id: user.email, badge: badge.slug } })).status).toBe(200);
    expect((await api('/api/v1/user-badges', { token: admin.token, body: { user_id: 'nobody@example.com', badge: badge.slug } })).status).toBe(404);
    expect((await api('/api/v1/user-badges', { token: admin.token, body: { user_id: user.id, badge: 'no-such-badge' } })).status).toBe(404);
    expect((await api('/api/v1/user-badges', { token: user.access, body: { user_id: user.id, badge: badge.slug } })).status).toBe(403);
  });

  it('mails the owner only when email_notifications is on', async () => {
    const on = await socialUser();
    const off = await socialUser();
    expect((await api('/api/v1/settings', { method: 'PATCH', token: off.access, body: { email_notifications: false } })).status).toBe(200);
    const badge = await createBadge({ name: 'Mail Test Badge' });
    await award(on.id, badge.slug);
    await award(off.id, badge.slug);
    const mail = await waitForMail(on.email, { subject: /Mail Test Badge/ });
    expect(mail.text).toContain('Mail Test Badge');
    await mailSettled();
    expect((await readMailbox(off.email)).filter((m) => /badge/i.test(m.subject))).toEqual([]);
  });

  it('revoking recomputes the totals, is audited, and a second revoke is 404', async () => {
    const admin = await badgeAdmin();
    const user = await socialUser();
    const [a, b] = [await createBadge({ points: 10 }), await createBadge({ points: 7 })];
    const held = (await award(user.id, a.id)).body;
    await award(user.id, b.id);
    expect(await totals(user.id)).toEqual({ badge_points: 17, total_badges: 2 });
    const res = await api(`/api/v1/admin/user-badges/${held.id}`, { method: 'DELETE', token: admin.token, body: { reason: 'awarded by mistake' } });
    expect(res.status).toBe(204);
    expect(await totals(user.id)).toEqual({ badge_points: 7, total_badges: 1 });
    expect(await countOf("SELECT count(*) AS n FROM audit_events WHERE type = 'badge_revoked' AND user_id = ? AND actor_id = ?", user.id, admin.id)).toBe(1);
    expect((await api(`/api/v1/admin/user-badges/${held.id}`, { method: 'DELETE', token: admin.token })).status).toBe(404);
    expect((await api(`/api/v1/admin/user-badges/${held.id}`, { method: 'DELETE', token: user.access })).status).toBe(403);
  });
});

describe('featured badges', () => {
  const feature = (token: string, id: string, is_featured = true) => api(`/api/v1/user-badges/${id}`, { method: 'PATCH', token, body: { is_featured } });

  it('at most 6, exact under 9 parallel requests; unfeaturing frees a place; only the owner may', async () => {
    const user = await socialUser();
    const other = await socialUser();
    const held: string[] = [];
    for (let i = 0; i < 9; i++) held.push((await award(user.id, (await createBadge({})).id)).body.id);
    const results = await Promise.all(held.map((id) => feature(user.access, id)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(6);
    const refused = results.filter((r) => r.status !== 200);
    expect(refused.map((r) => [r.status, r.body.error.code])).toEqual([
      [400, 'validation_failed'],
      [400, 'validation_failed'],
      [400, 'validation_failed'],
    ]);
    expect(refused[0]!.body.error.fields.is_featured).toBeDefined();
    expect(await countOf('SELECT count(*) AS n FROM user_badges WHERE user_id = ? AND is_featured = 1', user.id)).toBe(6);
    const featured = (await api(`/api/v1/user-badges?user=${user.id}&featured=true`, { token: user.access })).body;
    expect(featured).toHaveLength(6);

    const firstFeatured = featured[0].id as string;
    const notFeatured = held.find((id) => !featured.some((f: any) => f.id === id))!;
    expect((await feature(other.access, firstFeatured, false)).status).toBe(404);
    expect((await feature(user.access, firstFeatured, false)).status).toBe(200);
    expect((await feature(user.access, notFeatured)).status).toBe(200);
    expect(await countOf('SELECT count(*) AS n FROM user_badges WHERE user_id = ? AND is_featured = 1', user.id)).toBe(6);
    expect((await feature(user.access, 'not-a-badge')).status).toBe(404);
  });
});
