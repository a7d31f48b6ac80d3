import { describe, expect, it } from 'vitest';
import { api } from './helpers/api';
import { createVerifiedUser, login } from './helpers/users';

describe('GET/PATCH /api/v1/auth/me and token verify', () => {
  it('returns the user with a profile and no secrets', async () => {
    const user = await createVerifiedUser();
    const { access } = await login(user);
    const me = await api('/api/v1/auth/me', { token: access });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: user.id, email: user.email, email_verified: true, profile: { bio: '' } });
    expect(JSON.stringify(me.body)).not.toMatch(/password|hash/i);
  });

  it('requires a bearer token in the header; a token in the URL is ignored', async () => {
    const user = await createVerifiedUser();
    const { access } = await login(user);
    const viaQuery = await api(`/api/v1/auth/me?access_token=${access}`);
    expect([viaQuery.status, viaQuery.body.error.code]).toEqual([401, 'unauthorized']);
    expect(viaQuery.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
    expect((await api('/api/v1/auth/me', { token: 'garbage' })).status).toBe(401);
  });

  it('updates names, username, phone and profile; ignores role and email_verified', async () => {
    const user = await createVerifiedUser();
    const { access } = await login(user);
    const res = await api('/api/v1/auth/me', {
      method: 'PATCH',
      token: access,
      body: {
        first_name: 'Grace',
        username: 'Grace.Hopper',
        phone_number: '+1 212 555 0199',
        role: 'admin',
        email_verified: false,
        is_active: false,
        profile: { bio: 'COBOL', website: 'https://example.com' },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ first_name: 'Grace', username: 'Grace.Hopper', phone_number: '+12125550199', role: 'user', email_verified: true, is_active: true });
    expect(res.body.profile).toMatchObject({ bio: 'COBOL', website: 'https://example.com' });
  });

  it('answers 409 for a username or phone someone else has, and 400 for bad values', async () => {
    await createVerifiedUser({ username: 'Owner_Name', phone_number: '+14155550155' });
    const user = await createVerifiedUser();
    const { access } = await login(user);
    const u = await api('/api/v1/auth/me', { method: 'PATCH', token: access, body: { username: 'owner_name' } });
    expect([u.status, u.body.error.code]).toEqual([409, 'username_taken']);
    const p = await api('/api/v1/auth/me', { method: 'PATCH', token: access, body: { phone_number: '+1 415 555 0155' } });
    expect([p.status, p.body.error.code]).toEqual([409, 'phone_taken']);
    const bad = await api('/api/v1/auth/me', { method: 'PATCH', token: access, body: { profile: { website: 'javascript:alert(1)' } } });
    expect([bad.status, bad.body.error.code]).toEqual([400, 'validation_failed']);
    expect(bad.body.error.fields['profile.website']).toBeDefined();
  });

  it('POST /auth/token/verify answers valid claims or 401', async () => {
    const user = await createVerifiedUser();
    const { access, refresh } = await login(user);
    const ok = await api('/api/v1/auth/token/verify', { body: { token: access } });
    expect(ok.status).toBe(200);
    expect(ok.body.valid).toBe(true);
    expect(ok.body.claims).toMatchObject({ sub: user.id, role: 'user', email_verified: true });
    expect((await api('/api/v1/auth/token/verify', { body: { token: refresh } })).status).toBe(401);
    expect((await api('/api/v1/auth/token/verify', { body: { token: 'x.y.z' } })).status).toBe(401);
  });
});
