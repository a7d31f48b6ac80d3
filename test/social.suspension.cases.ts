import { describe, expect, it } from 'vitest';
import { api } from './helpers/api';
import { socialUser } from './helpers/social';
import { adminApi, auditRows, signedIn } from './admin.fixtures';

describe('suspension', () => {
  it('staff suspend with a reason: sessions kept, reads work, every social write is 403 account_suspended, others see a 404; unsuspend undoes it', async () => {
    const admin = await signedIn('admin');
    const [user, other] = [await socialUser(), await socialUser()];
    const follow = (await api('/api/v1/follows', { token: other.access, body: { user_id: user.id } })).body;

    const res = await adminApi(admin, `/users/${user.id}/suspend`, { body: { reason: 'spam waves' } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ user_id: user.id, is_suspended: true, suspension_reason: 'spam waves' });
    expect((await auditRows(user.id, 'account_suspended'))[0]).toMatchObject({ actor_id: admin.id });

    // Still signed in, still reads.
    const me = await api('/api/v1/auth/me', { token: user.access });
    expect(me.body.profile).toMatchObject({ is_suspended: true, suspension_reason: 'spam waves' });
    expect((await api(`/api/v1/profiles/${other.id}`, { token: user.access })).status).toBe(200);
    const writes = [
      api('/api/v1/follows', { token: user.access, body: { user_id: other.id } }),
      api('/api/v1/blocks', { token: user.access, body: { user_id: other.id } }),
      api(`/api/v1/follows/${follow.id}`, { method: 'DELETE', token: user.access }),
      api(`/api/v1/follows/${follow.id}/approve`, { method: 'POST', token: user.access }),
    ];
    for (const w of await Promise.all(writes)) expect([w.status, w.body.error.code]).toEqual([403, 'account_suspended']);

    const never = await api(`/api/v1/profiles/${crypto.randomUUID()}`, { token: other.access });
    const hidden = await api(`/api/v1/profiles/${user.id}`, { token: other.access });
    expect([hidden.status, hidden.body.error.code, hidden.body.error.message]).toEqual([never.status, never.body.error.code, never.body.error.message]);
    // Staff still see it.
    expect((await api(`/api/v1/profiles/${user.id}`, { token: admin.token })).body).toMatchObject({ is_suspended: true, suspension_reason: 'spam waves' });

    const back = await adminApi(admin, `/users/${user.id}/unsuspend`, { method: 'POST' });
    expect(back.body).toEqual({ user_id: user.id, is_suspended: false, suspension_reason: '' });
    expect((await api(`/api/v1/profiles/${user.id}`, { token: other.access })).status).toBe(200);
    expect((await api('/api/v1/follows', { token: user.access, body: { user_id: other.id } })).status).toBe(201);
    expect(await auditRows(user.id, 'account_unsuspended')).toHaveLength(1);
  });

  it('a reason is required; plain users cannot suspend; unknown ids are 404', async () => {
    const admin = await signedIn('admin');
    const user = await socialUser();
    const missing = await adminApi(admin, `/users/${user.id}/suspend`, { body: {} });
    expect([missing.status, Object.keys(missing.body.error.fields)]).toEqual([400, ['reason']]);
    expect((await api(`/api/v1/admin/users/${user.id}/suspend`, { token: user.access, body: { reason: 'x' } })).status).toBe(403);
    expect((await adminApi(admin, `/users/${crypto.randomUUID()}/suspend`, { body: { reason: 'x' } })).status).toBe(404);
    const manager = await signedIn('manager');
    expect((await adminApi(manager, `/users/${user.id}/suspend`, { body: { reason: 'x' } })).status).toBe(200);
  });
});
