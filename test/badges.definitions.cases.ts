import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { api } from './helpers/api';
import { socialUser } from './helpers/social';
import { award, badgeAdmin, createBadge, uniqueSlug } from './badges.fixtures';

const post = async (body: Record<string, unknown>) => api('/api/v1/badges', { token: (await badgeAdmin()).token, body });
const base = () => ({ name: 'Criteria test', slug: uniqueSlug('crit'), category: 'achievement', rarity: 'common' });
const badgeCount = async () => (await env.DB.prepare('SELECT count(*) AS n FROM badges').first<{ n: number }>())!.n;

describe('badge definitions: criteria', () => {
  it.each([
    { type: 'counter', field: 'follower_count', threshold: 100 },
    { type: 'consecutive_days', action: 'login', days: 7 },
    { type: 'multi_criteria', requirements: [{ field: 'posts_count', operator: '>=', value: 10 }, { field: 'content_quality_score', operator: '>', value: 4.5 }], logic: 'AND' },
    { type: 'event_based', event_type: 'post_create', count: 1 },
    { type: 'event_based', event_type: 'comment_create', count: 5, timeframe: '30d' },
    { type: 'social_interaction', interactions: ['like', 'comment'], min_count: 20, timeframe: '7d' },
    { type: 'join_rank', max: 1000 },
    { type: 'manual' },
  ])('accepts %o and gives it back as saved', async (criteria) => {
    const res = await post({ ...base(), criteria });
    expect(res.status).toBe(201);
    expect(res.body.criteria).toEqual(criteria);
  });

  it.each([
    [{ type: 'sql', query: 'drop table users' }, 'criteria.type'],
    [{ type: 'counter', field: 'password_hash', threshold: 1 }, 'criteria.field'],
    [{ type: 'counter', field: 'follower_count' }, 'criteria.threshold'],
    [{ type: 'counter', field: 'follower_count', threshold: 1, extra: true }, 'criteria'],
    [{ type: 'consecutive_days', action: 'sleep', days: 3 }, 'criteria.action'],
    [{ type: 'multi_criteria', requirements: [], logic: 'AND' }, 'criteria.requirements'],
    [{ type: 'multi_criteria', requirements: [{ field: 'email', operator: '>=', value: 1 }], logic: 'AND' }, 'criteria.requirements.0.field'],
    [{ type: 'multi_criteria', requirements: [{ field: 'posts_count', operator: '!=', value: 1 }], logic: 'XOR' }, 'criteria.requirements.0.operator'],
    [{ type: 'event_based', event_type: 'Post Create', count: 1 }, 'criteria.event_type'],
    [{ type: 'event_based', event_type: 'post_create', count: 0 }, 'criteria.count'],
    [{ type: 'social_interaction', interactions: ['stare'], min_count: 1, timeframe: '7d' }, 'criteria.interactions.0'],
    [{ type: 'social_interaction', interactions: ['like'], min_count: 1, timeframe: 'forever' }, 'criteria.timeframe'],
    [{ type: 'join_rank', max: -1 }, 'criteria.max'],
    ['counter', 'criteria'],
  ])('refuses %o with 400 and fields naming %s, creating nothing', async (criteria, field) => {
    const before = await badgeCount();
    const res = await post({ ...base(), criteria });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(Object.keys(res.body.error.fields).some((k) => k.startsWith(field))).toBe(true);
    expect(await badgeCount()).toBe(before);
  });

  it('points must sit in the rarity band; omitted points take the band default', async () => {
    const wrong = await post({ ...base(), rarity: 'rare', points: 5, criteria: { type: 'manual' } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields.points[0]).toMatch(/21–50/);
    const legendary = await post({ ...base(), rarity: 'legendary', criteria: { type: 'manual' } });
    expect([legendary.status, legendary.body.points]).toEqual([201, 150]);
    const epic = await post({ ...base(), rarity: 'epic', points: 80, criteria: { type: 'manual' } });
    expect([epic.status, epic.body.points]).toEqual([201, 80]);
  });

  it('a taken slug is 409; a non-admin cannot write (403)', async () => {
    const b = await createBadge({});
    const again = await post({ ...base(), slug: b.slug, criteria: { type: 'manual' } });
    expect(again.status).toBe(409);
    const user = await socialUser();
    expect((await api('/api/v1/badges', { token: user.access, body: { ...base(), criteria: { type: 'manual' } } })).status).toBe(403);
    expect((await api(`/api/v1/badges/${b.id}`, { method: 'DELETE', token: user.access })).status).toBe(403);
  });
});

describe('badge definitions: reading, deactivating and deleting', () => {
  it('non-staff see active badges only (an inactive one is 404); staff see both', async () => {
    const admin = await badgeAdmin();
    const user = await socialUser();
    const active = await createBadge({ category: 'special' });
    const inactive = await createBadge({ category: 'special', is_active: false });
    const seen = (await api('/api/v1/badges?category=special', { token: user.access })).body.map((b: any) => b.id);
    expect(seen).toContain(active.id);
    expect(seen).not.toContain(inactive.id);
    expect((await api(`/api/v1/badges/${inactive.id}`, { token: user.access })).status).toBe(404);
    expect((await api(`/api/v1/badges/${active.slug}`, { token: user.access })).body.id).toBe(active.id);
    const staffSees = (await api('/api/v1/badges?category=special', { token: admin.token })).body.map((b: any) => b.id);
    expect(staffSees).toEqual(expect.arrayContaining([active.id, inactive.id]));
    expect((await api(`/api/v1/badges/${inactive.id}`, { token: admin.token })).status).toBe(200);
  });

  it('DELETE of an awarded badge is 409 and keeps it; deactivating works; an unawarded one deletes (204), audited', async () => {
    const admin = await badgeAdmin();
    const user = await socialUser();
    const held = await createBadge({});
    expect((await award(user.id, held.slug)).status).toBe(201);
    const refused = await api(`/api/v1/badges/${held.id}`, { method: 'DELETE', token: admin.token });
    expect([refused.status, refused.body.error.code]).toEqual([409, 'conflict']);
    expect(refused.body.error.message).toMatch(/deactivate/);
    expect((await api(`/api/v1/badges/${held.id}`, { token: admin.token })).status).toBe(200);
    const off = await api(`/api/v1/badges/${held.id}`, { method: 'PATCH', token: admin.token, body: { is_active: false } });
    expect([off.status, off.body.is_active]).toEqual([200, false]);

    const spare = await createBadge({});
    expect((await api(`/api/v1/badges/${spare.id}`, { method: 'DELETE', token: admin.token })).status).toBe(204);
    expect((await api(`/api/v1/badges/${spare.id}`, { token: admin.token })).status).toBe(404);
    const events = await env.DB.prepare("SELECT type FROM audit_events WHERE json_extract(metadata, '$.badge_id') = ? ORDER BY created_at").bind(spare.id).all<{ type: string }>();
    expect(events.results.map((e) => e.type)).toEqual(['badge_created', 'badge_deleted']);
    const deleteEvents = await env.DB.prepare("SELECT count(*) AS n FROM audit_events WHERE type = 'badge_deleted' AND json_extract(metadata, '$.badge_id') = ?").bind(held.id).first<{ n: number }>();
    expect(deleteEvents!.n).toBe(0);
  });

  it('changing a badge’s points recomputes its holders’ badge_points', async () => {
    const admin = await badgeAdmin();
    const user = await socialUser();
    const b = await createBadge({ rarity: 'rare', points: 30 });
    await award(user.id, b.id);
    expect((await env.DB.prepare('SELECT badge_points FROM profiles WHERE user_id = ?').bind(user.id).first<{ badge_points: number }>())!.badge_points).toBe(30);
    expect((await api(`/api/v1/badges/${b.id}`, { method: 'PATCH', token: admin.token, body: { points: 45 } })).status).toBe(200);
    expect((await env.DB.prepare('SELECT badge_points FROM profiles WHERE user_id = ?').bind(user.id).first<{ badge_points: number }>())!.badge_points).toBe(45);
  });
});

describe('the starter set (npm run seed-badges)', () => {
  it('every starter badge is a valid definition with points in its band and a unique slug', async () => {
    const { STARTER_BADGES } = await import('../src/badges/starter-set');
    const { definitionBody, pointsProblem } = await import('../src/badges/definition-schemas');
    expect(STARTER_BADGES.map((b) => b.name)).toEqual(expect.arrayContaining(['First Post', 'Popular', 'Influencer', 'Early Adopter', 'Consistent Contributor', 'Quality Creator']));
    expect(new Set(STARTER_BADGES.map((b) => b.slug)).size).toBe(STARTER_BADGES.length);
    for (const b of STARTER_BADGES) {
      expect(definitionBody.safeParse({ ...b }).success, b.slug).toBe(true);
      expect(pointsProblem(b.points, b.rarity), b.slug).toBeNull();
    }
  });
});
