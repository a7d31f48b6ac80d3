import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { api } from './helpers/api';
import { createVerifiedUser } from './helpers/users';
import { adminApi, signedIn } from './admin.fixtures';

describe('admin audit trail', () => {
  it('records each admin action with actor, target, ip, user agent and severity', async () => {
    const admin = await signedIn('admin');
    const user = await signedIn('user');
    const as = { ip: '203.0.113.77', headers: { 'User-Agent': 'AuditTest/1.0' } };
    await adminApi(admin, `/users/${user.id}/lock`, { ...as, body: { minutes: 60 } });
    await adminApi(admin, `/users/${user.id}/unlock`, { ...as, method: 'POST' });
    await adminApi(admin, `/users/${user.id}`, { ...as, method: 'PATCH', body: { role: 'manager', is_active: false, last_name: 'Smith' } });
    await adminApi(admin, `/users/${user.id}/revoke-sessions`, { ...as, method: 'POST' });
    await adminApi(admin, `/users/${user.id}`, { ...as, method: 'DELETE' });
    await adminApi(admin, `/users/${user.id}/restore`, { ...as, method: 'POST' });

    const res = await adminApi(admin, `/audit-events?user=${user.id}&page_size=100`);
    const adminEvents = (res.body.results as any[]).filter((e) => e.actor_id === admin.id);
    expect(adminEvents.map((e) => e.type).sort()).toEqual(
      [
        'account_unlocked',
        'admin_role_changed',
        'admin_sessions_revoked',
        'admin_user_deactivated',
        'admin_user_deleted',
        'admin_user_locked',
        'admin_user_restored',
        'admin_user_updated',
      ].sort(),
    );
    for (const event of adminEvents) {
      expect(event).toMatchObject({ user_id: user.id, actor_id: admin.id, ip: '203.0.113.77', user_agent: 'AuditTest/1.0' });
      expect(event.metadata.actor_role).toBe('admin');
      expect(['low', 'medium', 'high']).toContain(event.severity);
    }
  });

  it('filters by user, actor, type, severity and since, newest first, paginated', async () => {
    const admin = await signedIn('admin');
    const a = await createVerifiedUser();
    const b = await createVerifiedUser();
    await api('/api/v1/auth/login', { body: { email: a.email, password: 'not-the-password' } });
    const mid = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    await adminApi(admin, `/users/${a.id}/lock`, { body: {} });
    await adminApi(admin, `/users/${b.id}/lock`, { body: {} });

    const list = async (query: string) => (await adminApi(admin, `/audit-events?${query}`)).body;
    const forA = await list(`user=${a.id}`);
    expect(forA.results.every((e: any) => e.user_id === a.id)).toBe(true);
    expect(forA.results.map((e: any) => e.type)).toEqual(['admin_user_locked', 'login_failed', 'user_registered']);
    expect((await list(`type=admin_user_locked&actor=${admin.id}`)).count).toBe(2);
    expect((await list(`user=${a.id}&severity=warning`)).results.map((e: any) => e.type).sort()).toEqual(['admin_user_locked', 'login_failed']);
    const since = await list(`since=${encodeURIComponent(mid)}&actor=${admin.id}`);
    expect(since.results.map((e: any) => e.user_id).sort()).toEqual([a.id, b.id].sort());
    const paged = await list(`user=${a.id}&page_size=1&page=2`);
    expect(paged).toMatchObject({ count: 3, results: [expect.objectContaining({ type: 'login_failed' })] });
    expect((await adminApi(admin, '/audit-events?severity=loud&since=yesterday')).status).toBe(400);
  });

  it('records security events of the other capabilities without secrets', async () => {
    const admin = await signedIn('admin');
    const user = await signedIn('user');
    await api('/api/v1/auth/refresh', { body: { refresh: user.refresh } });
    const res = await adminApi(admin, `/audit-events?user=${user.id}`);
    const types = res.body.results.map((e: any) => e.type);
    expect(types).toEqual(expect.arrayContaining(['user_registered', 'login_succeeded']));
    const text = JSON.stringify(res.body);
    const row = await env.DB.prepare('SELECT password_hash FROM users WHERE id = ?').bind(user.id).first<{ password_hash: string }>();
    expect(text).not.toContain(row!.password_hash);
    expect(text).not.toContain(user.refresh);
    expect(text).not.toContain(user.password);
  });
});

describe('failed mail', () => {
  it('lists mail failures newest first, by recipient, and shows them and the suppression on the user', async () => {
    const admin = await signedIn('admin');
    const user = await createVerifiedUser();
    const insert = env.DB.prepare(
      'INSERT INTO mail_failures (id, message_id, template, recipient, user_id, error, attempts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    await env.DB.batch([
      insert.bind(crypto.randomUUID(), crypto.randomUUID(), 'verify_email', user.email, user.id, '550 mailbox unavailable', 6, Date.now() - 1000),
      insert.bind(crypto.randomUUID(), crypto.randomUUID(), 'welcome', user.email, user.id, '421 try later', 6, Date.now()),
      insert.bind(crypto.randomUUID(), crypto.randomUUID(), 'welcome', 'other@example.com', null, '550 no', 6, Date.now()),
      env.DB.prepare('INSERT INTO mail_suppressions (email, kind, reason, diagnostic, created_at) VALUES (?, ?, ?, ?, ?)').bind(
        user.email,
        'bounce',
        'hard bounce',
        '550 5.1.1 user unknown',
        Date.now(),
      ),
    ]);
    const res = await adminApi(admin, `/mail-failures?recipient=${encodeURIComponent(user.email.toUpperCase())}`);
    expect(res.body.count).toBe(2);
    expect(res.body.results.map((f: any) => f.template)).toEqual(['welcome', 'verify_email']);
    expect(res.body.results[0]).toMatchObject({ recipient: user.email, user_id: user.id, error: '421 try later', attempts: 6 });
    expect((await adminApi(admin, '/mail-failures?template=welcome')).body.count).toBe(2);

    const detail = await adminApi(admin, `/users/${user.id}`);
    expect(detail.body.mail_failures).toHaveLength(2);
    expect(detail.body.mail_suppression).toMatchObject({ email: user.email, kind: 'bounce', reason: 'hard bounce' });
  });
});
