import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { socialUser } from './helpers/social';
import { auditRows, signedIn } from './admin.fixtures';
import { ConsoleBrowser, textOf } from './console.fixtures';
import { totals, uniqueSlug } from './badges.fixtures';

async function staffBrowser(role: 'admin' | 'manager' = 'admin') {
  const staff = await signedIn(role);
  const browser = new ConsoleBrowser();
  await browser.signIn(staff.email, staff.password);
  return { staff, browser, csrf: await browser.csrf() };
}

const form = (slug: string, criteria: string, extra: Record<string, string> = {}) => ({
  name: 'Console Badge',
  slug,
  description: 'Made in the console',
  category: 'activity',
  rarity: 'rare',
  points: '',
  icon: 'star',
  color: '#1e88e5',
  image_url: '',
  criteria,
  is_active: 'true',
  ...extra,
});

describe('console: badges', () => {
  it('creates (criteria JSON validated in the form), edits and deactivates a badge; each action audited', async () => {
    const { staff, browser, csrf } = await staffBrowser();
    const slug = uniqueSlug('console');

    const badJson = await browser.post('/admin/badges', { csrf, ...form(slug, '{"type": "counter",') });
    expect(badJson.status).toBe(400);
    expect(textOf(badJson.html)).toContain('Not valid JSON.');
    const badField = await browser.post('/admin/badges', { csrf, ...form(slug, '{"type":"counter","field":"password","threshold":1}') });
    expect(badField.status).toBe(400);
    expect(textOf(badField.html)).toMatch(/field: /);
    expect(badField.html).toContain('value="Console Badge"');
    const badPoints = await browser.post('/admin/badges', { csrf, ...form(slug, '{"type":"manual"}', { points: '3' }) });
    expect(textOf(badPoints.html)).toContain('A rare badge is worth 21–50 points.');
    expect(await env.DB.prepare('SELECT count(*) AS n FROM badges WHERE slug = ?').bind(slug).first('n')).toBe(0);

    const created = await browser.post('/admin/badges', { csrf, ...form(slug, '{"type":"counter","field":"follower_count","threshold":50}') });
    expect(created.status).toBe(303);
    const id = created.location!.split('/').pop()!.split('?')[0]!;
    const page = textOf((await browser.get(created.location!)).html);
    expect(page).toContain('The badge is created.');
    const row = await env.DB.prepare('SELECT points, criteria, is_active FROM badges WHERE id = ?').bind(id).first<{ points: number; criteria: string; is_active: number }>();
    expect(row).toMatchObject({ points: 25, is_active: 1 });
    expect(JSON.parse(row!.criteria)).toEqual({ type: 'counter', field: 'follower_count', threshold: 50 });

    const saved = await browser.post(`/admin/badges/${id}`, { csrf, ...form(slug, '{"type":"counter","field":"follower_count","threshold":75}', { points: '40' }) });
    expect(saved.status).toBe(303);
    expect(await env.DB.prepare('SELECT points FROM badges WHERE id = ?').bind(id).first('points')).toBe(40);

    const off = await browser.post(`/admin/badges/${id}/deactivate`, { csrf });
    expect(off.status).toBe(303);
    expect(await env.DB.prepare('SELECT is_active FROM badges WHERE id = ?').bind(id).first('is_active')).toBe(0);
    const list = textOf((await browser.get('/admin/badges')).html);
    expect(list).toContain(slug);
    const events = await env.DB.prepare("SELECT type, actor_id FROM audit_events WHERE json_extract(metadata, '$.badge_id') = ? ORDER BY created_at, rowid").bind(id).all<{ type: string; actor_id: string }>();
    expect(events.results).toEqual([
      { type: 'badge_created', actor_id: staff.id },
      { type: 'badge_updated', actor_id: staff.id },
      { type: 'badge_updated', actor_id: staff.id },
    ]);
    expect((await browser.post(`/admin/badges/${id}/deactivate`, { csrf: 'wrong' })).status).toBe(403);
  });

  it('awards and revokes on a user page; managers see badges but cannot create or award', async () => {
    const { staff, browser, csrf } = await staffBrowser();
    const user = await socialUser();
    const slug = uniqueSlug('award');
    await browser.post('/admin/badges', { csrf, ...form(slug, '{"type":"manual"}', { points: '30' }) });
    const userPage = textOf((await browser.get(`/admin/users/${user.id}`)).html);
    expect(userPage).toContain('Badges (0)');
    expect(userPage).toContain('Award badge');

    const awarded = await browser.post(`/admin/users/${user.id}/badges`, { csrf, badge: slug, reason: 'conference speaker' });
    expect([awarded.status, awarded.location]).toEqual([303, `/admin/users/${user.id}?done=badge_awarded`]);
    const after = (await browser.get(awarded.location!)).html;
    expect(textOf(after)).toContain('The badge is awarded.');
    expect(textOf(after)).toContain('staff: conference speaker');
    expect(await totals(user.id)).toEqual({ badge_points: 30, total_badges: 1 });
    expect((await auditRows(user.id, 'badge_earned'))[0]).toMatchObject({ actor_id: staff.id });

    const userBadgeId = /\/badges\/([0-9a-f-]{36})\/revoke/.exec(after)![1]!;
    const revoked = await browser.post(`/admin/users/${user.id}/badges/${userBadgeId}/revoke`, { csrf });
    expect(revoked.location).toBe(`/admin/users/${user.id}?done=badge_revoked`);
    expect(await totals(user.id)).toEqual({ badge_points: 0, total_badges: 0 });
    expect((await auditRows(user.id, 'badge_revoked'))[0]).toMatchObject({ actor_id: staff.id });

    const manager = await staffBrowser('manager');
    expect((await manager.browser.get('/admin/badges')).status).toBe(200);
    expect((await manager.browser.get('/admin/badges/analytics')).status).toBe(200);
    expect((await manager.browser.get('/admin/badges/new')).status).toBe(403);
    expect((await manager.browser.post(`/admin/users/${user.id}/badges`, { csrf: manager.csrf, badge: slug })).status).toBe(403);
  });

  it('the analytics page draws its figures as SVG bars, with no script', async () => {
    const { browser } = await staffBrowser();
    const page = await browser.get('/admin/badges/analytics');
    expect(page.status).toBe(200);
    expect(page.html).not.toMatch(/<script/i);
    expect(page.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect((page.html.match(/<svg/g) ?? []).length).toBe(3);
    for (const text of ['Awards by category', 'Awards by rarity', 'Awards per day', 'Top 10 badges', '20 most recent awards']) expect(textOf(page.html)).toContain(text);
    // One bar per category (3), per rarity (4) and per day (30).
    expect((page.html.match(/<rect/g) ?? []).length).toBe(3 + 4 + 30);
  });
});
