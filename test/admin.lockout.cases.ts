import { afterEach, describe, expect, it } from 'vitest';
import { api } from './helpers/api';
import { createVerifiedUser, login } from './helpers/users';
import { setClock } from '../src/clock';
import { adminApi, auditRows, signedIn } from './admin.fixtures';

const attempt = (email: string, password: string) => api('/api/v1/auth/login', { body: { email, password } });

afterEach(() => setClock(null));

describe('admin lock and unlock', () => {
  it('unlocks an account locked by failed logins, clearing the Durable Object lockout', async () => {
    const admin = await signedIn('admin');
    const user = await createVerifiedUser();
    for (let i = 0; i < 5; i++) expect((await attempt(user.email, 'wrong-password-1')).status).toBe(401);
    expect((await attempt(user.email, user.password)).status).toBe(423);
    const detail = await adminApi(admin, `/users/${user.id}`);
    expect(detail.body.lockout).toMatchObject({ locked: true, failures: 5 });

    expect(detail.body.admin_lock).toBeNull();

    const res = await adminApi(admin, `/users/${user.id}/unlock`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ admin_lock: null, lockout: { locked: false, failures: 0, locked_until: null } });
    await login(user);
    const [event] = await auditRows(user.id, 'account_unlocked');
    expect(event).toMatchObject({ actor_id: admin.id });
    expect(JSON.parse(event!.metadata)).toMatchObject({ by: 'admin', was_locked: true, failures: 5, was_admin_locked: false });
  });

  it('locks sign-in for the chosen time: 423 with Retry-After, then open again when it runs out', async () => {
    const admin = await signedIn('admin');
    const user = await createVerifiedUser();
    const now = Date.now();
    setClock({ now: () => now });
    const res = await adminApi(admin, `/users/${user.id}/lock`, { body: { minutes: 15, reason: '  Reported stolen phone  ' } });
    expect(res.status).toBe(200);
    // The admin lock is its own record; the failure lockout is untouched by it.
    expect(res.body).toEqual({
      admin_lock: {
        locked_until: new Date(now + 15 * 60_000).toISOString(),
        locked_at: new Date(now).toISOString(),
        locked_by: { id: admin.id, email: admin.email },
        reason: 'Reported stolen phone',
      },
      lockout: { locked: false, failures: 0, locked_until: null },
    });
    const refused = await attempt(user.email, user.password);
    expect([refused.status, refused.body.error.code, refused.body.error.message]).toEqual([423, 'account_locked', 'This account is locked; try again later.']);
    expect(refused.headers.get('Retry-After')).toBe(String(15 * 60));
    const [event] = await auditRows(user.id, 'admin_user_locked');
    expect(event).toMatchObject({ actor_id: admin.id });
    expect(JSON.parse(event!.metadata)).toMatchObject({ minutes: 15, reason: 'Reported stolen phone' });
    const detail = await adminApi(admin, `/users/${user.id}`);
    expect(detail.body.admin_lock).toEqual(res.body.admin_lock);
    expect(detail.body.lockout).toEqual({ locked: false, failures: 0, locked_until: null });

    setClock({ now: () => now + 15 * 60_000 + 1 });
    expect((await attempt(user.email, user.password)).status).toBe(200);
  });

  it('relocks an account that already had failures, and unlock ends an admin lock', async () => {
    const admin = await signedIn('admin');
    const user = await createVerifiedUser();
    for (let i = 0; i < 3; i++) await attempt(user.email, 'wrong-password-1');
    const locked = await adminApi(admin, `/users/${user.id}/lock`, { body: {} });
    expect(locked.body.admin_lock.reason).toBeNull();
    expect(locked.body.lockout).toMatchObject({ locked: false, failures: 3 });
    expect((await attempt(user.email, user.password)).status).toBe(423);
    const unlocked = await adminApi(admin, `/users/${user.id}/unlock`, { method: 'POST' });
    expect(unlocked.body).toEqual({ admin_lock: null, lockout: { locked: false, failures: 0, locked_until: null } });
    const [event] = await auditRows(user.id, 'account_unlocked');
    expect(JSON.parse(event!.metadata)).toMatchObject({ was_admin_locked: true, failures: 3 });
    expect((await attempt(user.email, user.password)).status).toBe(200);
  });

  it('offers fixed lock lengths only, and a reason of at most 200 characters', async () => {
    const admin = await signedIn('admin');
    const user = await createVerifiedUser();
    const res = await adminApi(admin, `/users/${user.id}/lock`, { body: { minutes: 100000 } });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.minutes).toBeDefined();
    const long = await adminApi(admin, `/users/${user.id}/lock`, { body: { minutes: 15, reason: 'x'.repeat(201) } });
    expect([long.status, Object.keys(long.body.error.fields)]).toEqual([400, ['reason']]);
    expect((await adminApi(admin, `/users/${user.id}`)).body.admin_lock).toBeNull();
  });
});
