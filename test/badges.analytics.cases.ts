import { describe, expect, it } from 'vitest';
import { api } from './helpers/api';
import { socialUser } from './helpers/social';
import { signedIn } from './admin.fixtures';
import { award, badgeAdmin, createBadge } from './badges.fixtures';

const analytics = async () => {
  const res = await api('/api/v1/admin/badges/analytics', { token: (await badgeAdmin()).token });
  expect(res.status).toBe(200);
  return res.body;
};
const today = () => new Date().toISOString().slice(0, 10);
const awardsOn = (a: any, key: 'by_category' | 'by_rarity', name: string) => a[key].find((r: any) => (r.category ?? r.rarity) === name);

describe('GET /admin/badges/analytics', () => {
  it('totals, by category, by rarity, per day, top and recent move by exactly what was awarded', async () => {
    const before = await analytics();
    const [u1, u2] = [await socialUser(), await socialUser()];
    const special = await createBadge({ category: 'special', rarity: 'epic', points: 90 });
    const activity = await createBadge({ category: 'activity', rarity: 'rare', points: 30 });
    await award(u1.id, special.id);
    await award(u2.id, special.id);
    await award(u1.id, activity.id);
    const after = await analytics();

    expect(after.totals.badges - before.totals.badges).toBe(2);
    expect(after.totals.awards - before.totals.awards).toBe(3);
    expect(after.totals.users_with_badges - before.totals.users_with_badges).toBe(2);
    expect(after.totals.points_awarded - before.totals.points_awarded).toBe(90 + 90 + 30);
    expect(awardsOn(after, 'by_category', 'special').awards - awardsOn(before, 'by_category', 'special').awards).toBe(2);
    expect(awardsOn(after, 'by_category', 'activity').awards - awardsOn(before, 'by_category', 'activity').awards).toBe(1);
    expect(awardsOn(after, 'by_rarity', 'epic').badges - awardsOn(before, 'by_rarity', 'epic').badges).toBe(1);
    expect(awardsOn(after, 'by_rarity', 'rare').awards - awardsOn(before, 'by_rarity', 'rare').awards).toBe(1);
    expect(after.by_category.map((r: any) => r.category)).toEqual(['achievement', 'activity', 'special']);
    expect(after.by_rarity.map((r: any) => r.rarity)).toEqual(['common', 'rare', 'epic', 'legendary']);
    expect(after.awards_per_day).toHaveLength(30);
    expect(after.awards_per_day.at(-1).day).toBe(today());
    expect(after.awards_per_day.at(-1).awards - before.awards_per_day.at(-1).awards).toBe(3);
    expect(after.recent_awards.slice(0, 3).map((r: any) => r.badge.slug).sort()).toEqual([activity.slug, special.slug, special.slug].sort());
    expect(after.recent_awards.length).toBeLessThanOrEqual(20);
    expect(after.top_badges.length).toBeLessThanOrEqual(10);
    const counts = after.top_badges.map((t: any) => t.awards);
    expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a));
  });

  it('managers may read it; plain users may not', async () => {
    const manager = await signedIn('manager');
    expect((await api('/api/v1/admin/badges/analytics', { token: manager.token })).status).toBe(200);
    const user = await socialUser();
    expect((await api('/api/v1/admin/badges/analytics', { token: user.access })).status).toBe(403);
  });
});
