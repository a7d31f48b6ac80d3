import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { api } from './helpers/api';
import { createVerifiedUser } from './helpers/users';
import { adminApi, setRole, signedIn } from './admin.fixtures';

type Route = { method: string; path: (id: string) => string; body?: unknown };

const EVERY_ROUTE: Route[] = [
  { method: 'GET', path: () => '/users' },
  { method: 'GET', path: (id) => `/users/${id}` },
  { method: 'GET', path: (id) => `/users/${id}/verification` },
  { method: 'PATCH', path: (id) => `/users/${id}`, body: { first_name: 'X' } },
  { method: 'DELETE', path: (id) => `/users/${id}` },
  { method: 'POST', path: (id) => `/users/${id}/restore` },
  { method: 'POST', path: (id) => `/users/${id}/lock`, body: { minutes: 15 } },
  { method: 'POST', path: (id) => `/users/${id}/unlock` },
  { method: 'POST', path: (id) => `/users/${id}/revoke-sessions` },
  { method: 'POST', path: (id) => `/users/${id}/reset-mfa` },
  { method: 'DELETE', path: (id) => `/users/${id}/suppression` },
  { method: 'GET', path: () => '/audit-events' },
  { method: 'GET', path: () => '/mail-failures' },
];

describe('admin API privileges', () => {
  it('answers 401 without a token and 403 to a user token on every route, changing nothing', async () => {
    const user = await signedIn('user');
    const target = await createVerifiedUser();
    for (const route of EVERY_ROUTE) {
      const anonymous = await api(`/api/v1/admin${route.path(target.id)}`, { method: route.method, body: route.body });
      expect(anonymous.status, `${route.method} ${route.path(':id')}`).toBe(401);
      const res = await adminApi(user, route.path(target.id), { method: route.method, body: route.body });
      expect(res.status, `${route.method} ${route.path(':id')}`).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
    const row = await env.DB.prepare('SELECT first_name, deleted_at FROM users WHERE id = ?').bind(target.id).first();
    expect(row).toEqual({ first_name: 'Ada', deleted_at: null });
  });

  it('refuses a manager role changes, edits, reactivation, delete, restore and sign-out-everywhere', async () => {
    const manager = await signedIn('manager');
    const target = await createVerifiedUser();
    const refused: Route[] = [
      { method: 'PATCH', path: (id) => `/users/${id}`, body: { role: 'manager' } },
      { method: 'PATCH', path: (id) => `/users/${id}`, body: { role: 'admin' } },
      { method: 'PATCH', path: (id) => `/users/${id}`, body: { first_name: 'Eve' } },
      { method: 'PATCH', path: (id) => `/users/${id}`, body: { email_verified: false } },
      { method: 'PATCH', path: (id) => `/users/${id}`, body: { is_active: true } },
      { method: 'PATCH', path: (id) => `/users/${id}`, body: { is_active: false, role: 'user' } },
      { method: 'DELETE', path: (id) => `/users/${id}` },
      { method: 'POST', path: (id) => `/users/${id}/restore` },
      { method: 'POST', path: (id) => `/users/${id}/revoke-sessions` },
      { method: 'POST', path: (id) => `/users/${id}/reset-mfa` },
    ];
    for (const route of refused) {
      const res = await adminApi(manager, route.path(target.id), { method: route.method, body: route.body });
      expect(res.status, `${route.method} ${JSON.stringify(route.body)}`).toBe(403);
    }
    const row = await env.DB.prepare('SELECT role, first_name, is_active, deleted_at FROM users WHERE id = ?').bind(target.id).first();
    expect(row).toEqual({ role: 'user', first_name: 'Ada', is_active: 1, deleted_at: null });
  });

  it('lets a manager read, lock, unlock and deactivate a plain user', async () => {
    const manager = await signedIn('manager');
    const target = await createVerifiedUser();
    expect((await adminApi(manager, '/users')).status).toBe(200);
    expect((await adminApi(manager, `/users/${target.id}`)).status).toBe(200);
    expect((await adminApi(manager, '/audit-events')).status).toBe(200);
    expect((await adminApi(manager, '/mail-failures')).status).toBe(200);
    expect((await adminApi(manager, `/users/${target.id}/lock`, { body: { minutes: 15 } })).status).toBe(200);
    expect((await adminApi(manager, `/users/${target.id}/unlock`, { method: 'POST' })).status).toBe(200);
    const res = await adminApi(manager, `/users/${target.id}`, { method: 'PATCH', body: { is_active: false } });
    expect(res.status).toBe(200);
    expect(res.body.is_active).toBe(false);
  });

  it('keeps managers off other staff accounts', async () => {
    const manager = await signedIn('manager');
    const admin = await signedIn('admin');
    const otherManager = await signedIn('manager');
    for (const target of [admin, otherManager]) {
      expect((await adminApi(manager, `/users/${target.id}/lock`, { body: {} })).status).toBe(403);
      expect((await adminApi(manager, `/users/${target.id}`, { method: 'PATCH', body: { is_active: false } })).status).toBe(403);
    }
    expect((await adminApi(manager, `/users/${admin.id}`)).status).toBe(200);
  });

  it('keeps an admin from locking, deactivating, demoting or deleting themselves', async () => {
    const admin = await signedIn('admin');
    const attempts = [
      adminApi(admin, `/users/${admin.id}/lock`, { body: {} }),
      adminApi(admin, `/users/${admin.id}`, { method: 'PATCH', body: { is_active: false } }),
      adminApi(admin, `/users/${admin.id}`, { method: 'PATCH', body: { role: 'user' } }),
      adminApi(admin, `/users/${admin.id}`, { method: 'DELETE' }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/your own account/);
    }
    expect((await adminApi(admin, `/users/${admin.id}`, { method: 'PATCH', body: { first_name: 'Grace' } })).status).toBe(200);
  });

  it('reads the role from D1 on every request: a demoted admin loses access before the token expires', async () => {
    const admin = await signedIn('admin');
    expect((await adminApi(admin, '/users')).status).toBe(200);
    await setRole(admin.id, 'user');
    expect((await adminApi(admin, '/users')).status).toBe(403);
  });

  it('ends admin access with the session: after logout-all the access token no longer opens the admin API', async () => {
    const admin = await signedIn('admin');
    expect((await api('/api/v1/auth/logout-all', { method: 'POST', token: admin.token })).status).toBe(204);
    const res = await adminApi(admin, '/users');
    expect(res.status).toBe(401);
  });

  it('refuses a deactivated admin at once', async () => {
    const admin = await signedIn('admin');
    const other = await signedIn('admin');
    expect((await adminApi(other, `/users/${admin.id}`, { method: 'PATCH', body: { is_active: false } })).status).toBe(200);
    expect((await adminApi(admin, '/users')).status).toBe(403);
  });
});
