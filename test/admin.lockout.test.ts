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

    const res = await adminApi(admin, `/users/${user.id}/unlock`, { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.body.lockout).toEqual({ locked: false, failures: 0, locked_until: null });
    await login(user);
    const [event] = await auditRows(user.id, 'account_unlocked');
    expect(event).toMatchObject({ actor_id: admin.id });
    expect(JSON.parse(event!.metadata)).toMatchObject({ by: 'admin', was_locked: true, failures: 5 });
  });

  it('locks sign-in for the chosen time: 423 with Retry-After, then open again when it runs out', async () => {
    const admin = await signedIn('admin');
    const user = await createVerifiedUser();
    const now = Date.now();
    setClock({ now: () => now });
    const res = await adminApi(admin, `/users/${user.id}/lock`, { body: { minutes: 15 } });
    expect(res.status).toBe(200);
    expect(res.body.lockout).toEqual({ locked: true, failures: 1, locked_until: new Date(now + 15 * 60_000).toISOString() });
    const refused = await attempt(user.email, user.password);
    expect(refused.status).toBe(423);
    expect(refused.headers.get('Retry-After')).toBe(String(15 * 60));
    const [event] = await auditRows(user.id, 'admin_user_locked');
    expect(JSON.parse(event!.metadata)).toMatchObject({ minutes: 15 });

    setClock({ now: () => now + 15 * 60_000 + 1 });
    expect((await attempt(user.email, user.password)).status).toBe(200);
  });

  it('relocks an account that already had failures, and unlock ends an admin lock', async () => {
    const admin = await signedIn('admin');
    const user = await createVerifiedUser();
    for (let i = 0; i < 3; i++) await attempt(user.email, 'wrong-password-1');
    expect((await adminApi(admin, `/users/${user.id}/lock`, { body: {} })).body.lockout.locked).toBe(true);
    expect((await attempt(user.email, user.password)).status).toBe(423);
    await adminApi(admin, `/users/${user.id}/unlock`, { method: 'POST' });
    expect((await attempt(user.email, user.password)).status).toBe(200);
  });

  it('offers fixed lock lengths only', async () => {
    const admin = await signedIn('admin');
    const user = await createVerifiedUser();
    const res = await adminApi(admin, `/users/${user.id}/lock`, { body: { minutes: 100000 } });
    expect(res.status).toBe(400);
    expect(res.body.error.fields.minutes).toBeDefined();
  });
});
