import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { api } from './helpers/api';
import { insertFollow, socialUser, sql } from './helpers/social';
import { login, registerVerifiedUser } from './helpers/users';

const FULL = {
  email_notifications: false,
  push_notifications: true,
  warranty_expiry_notifications: false,
  maintenance_reminder_notifications: true,
  notification_frequency: 'weekly',
  profile_visibility: 'followers',
  language: 'pt-br',
  theme: 'dark',
  timezone: 'Europe/Oslo',
  mature_content: false,
  auto_play_videos: false,
};

describe('/api/v1/settings', () => {
  it('is created with the user at registration and read with defaults', async () => {
    // Through the API: the seeded fixture writes its own rows.
    const registered = await registerVerifiedUser({ username: `reg${crypto.randomUUID().slice(0, 8)}` });
    const me = { id: registered.id, access: (await login(registered)).access };
    const row = await env.DB.prepare('SELECT count(*) n FROM user_settings WHERE user_id = ?').bind(me.id).first<{ n: number }>();
    expect(row!.n).toBe(1);
    const res = await api('/api/v1/settings', { token: me.access });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...FULL, email_notifications: true, warranty_expiry_notifications: true, push_notifications: true, notification_frequency: 'immediate', profile_visibility: 'public', language: 'en', theme: 'system', timezone: 'UTC', auto_play_videos: true });
  });

  it('accounts from before the table (no row) read the defaults, and their first write creates it', async () => {
    const me = await socialUser();
    await sql('DELETE FROM user_settings WHERE user_id = ?', me.id);
    expect((await api('/api/v1/settings', { token: me.access })).body.theme).toBe('system');
    const res = await api('/api/v1/settings', { method: 'PATCH', token: me.access, body: { theme: 'light' } });
    expect([res.status, res.body.theme, res.body.timezone]).toEqual([200, 'light', 'UTC']);
  });

  it('PUT replaces all (canonical language tag); profile_visibility is is_private; audited', async () => {
    const me = await socialUser();
    const res = await api('/api/v1/settings', { method: 'PUT', token: me.access, body: FULL });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ ...FULL, language: 'pt-BR' });
    expect((await api(`/api/v1/profiles/${me.id}`, { token: me.access })).body.is_private).toBe(true);
    const types = await env.DB.prepare('SELECT type FROM audit_events WHERE user_id = ? ORDER BY type').bind(me.id).all<{ type: string }>();
    expect(types.results.map((r) => r.type)).toEqual(expect.arrayContaining(['privacy_changed', 'settings_updated']));
  });

  it('PUT with a field missing, bad enums, a bad language or time zone: 400 with fields, nothing changed', async () => {
    const me = await socialUser();
    const { theme: _omitted, ...partial } = FULL;
    const missing = await api('/api/v1/settings', { method: 'PUT', token: me.access, body: partial });
    expect([missing.status, Object.keys(missing.body.error.fields)]).toEqual([400, ['theme']]);
    const bad = await api('/api/v1/settings', {
      method: 'PATCH',
      token: me.access,
      body: { language: 'not a tag!', timezone: 'Mars/Olympus', theme: 'neon', notification_frequency: 'hourly', profile_visibility: 'secret', mature_content: 'yes' },
    });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['language', 'mature_content', 'notification_frequency', 'profile_visibility', 'theme', 'timezone']);
    expect((await api('/api/v1/settings', { token: me.access })).body).toMatchObject({ language: 'en', timezone: 'UTC', theme: 'system' });
  });

  it('going public accepts every pending request in one batch, counts recomputed', async () => {
    const owner = await socialUser();
    await api('/api/v1/settings', { method: 'PATCH', token: owner.access, body: { profile_visibility: 'private' } });
    const askers = await Promise.all([socialUser(), socialUser(), socialUser()]);
    for (const a of askers) await insertFollow(a.id, owner.id, 'pending');
    const res = await api('/api/v1/settings', { method: 'PATCH', token: owner.access, body: { profile_visibility: 'public' } });
    expect(res.body.profile_visibility).toBe('public');
    const profile = await api(`/api/v1/profiles/${owner.id}`, { token: askers[0]!.access });
    expect(profile.body).toMatchObject({ follower_count: 3, follow_status: 'following', is_private: false });
    const pending = await env.DB.prepare("SELECT count(*) n FROM follows WHERE followed_id = ? AND status = 'pending'").bind(owner.id).first<{ n: number }>();
    expect(pending!.n).toBe(0);
  });

  it('needs a live session to write', async () => {
    const me = await socialUser();
    expect((await api('/api/v1/auth/logout-all', { method: 'POST', token: me.access })).status).toBeLessThan(300);
    const res = await api('/api/v1/settings', { method: 'PATCH', token: me.access, body: { theme: 'dark' } });
    expect(res.status).toBe(401);
  });
});
