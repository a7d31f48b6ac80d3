import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { api } from './helpers/api';
import { createVerifiedUser, login } from './helpers/users';
import { callWorker, expectLimited } from './otp.helpers';

afterEach(() => setClock(null));

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

describe('PATCH /api/v1/auth/me is limited per user (finding 5)', () => {
  const patch = (access: string, body: Record<string, unknown>, ip?: string) => api('/api/v1/auth/me', { method: 'PATCH', token: access, body, ip });

  it('answers 429 rate_limited with Retry-After from the 31st PATCH in an hour, then frees up', async () => {
    let now = Date.UTC(2026, 8, 1, 12);
    setClock({ now: () => now });
    const user = await createVerifiedUser();
    const { access } = await login(user);
    for (let i = 0; i < 30; i++) expect((await patch(access, { first_name: `Ada ${i}` })).status).toBe(200);
    const limited = await patch(access, { first_name: 'One too many' });
    expectLimited(limited, 3600);
    const me = await api('/api/v1/auth/me', { token: access });
    expect([me.status, me.body.first_name]).toEqual([200, 'Ada 29']);
    now += 3600_000 + 1000;
    // The access token has expired by then; a fresh sign-in's token finds the budget free.
    expect((await patch((await login(user)).access, { first_name: 'Later' })).status).toBe(200);
  });

  it('is exact under concurrency: of 40 parallel PATCHes exactly 30 pass', async () => {
    setClock({ now: () => Date.UTC(2026, 8, 1, 12) });
    const user = await createVerifiedUser();
    const { access } = await login(user);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => patch(access, { profile: { bio: `bio ${i}` } })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(30);
    expect(results.filter((r) => r.status === 429 && r.body.error.code === 'rate_limited')).toHaveLength(10);
  });

  it('counts refused PATCHes too, so phone numbers cannot be tried past the limit', async () => {
    setClock({ now: () => Date.UTC(2026, 8, 1, 12) });
    const owner = await createVerifiedUser({ phone_number: `+1415555${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}` });
    const prober = await createVerifiedUser();
    const { access } = await login(prober);
    for (let i = 0; i < 30; i++) expect((await patch(access, { phone_number: `+1202555${String(i).padStart(4, '0')}` })).status).toBe(200);
    const probe = await patch(access, { phone_number: owner.phone_number });
    expectLimited(probe);
    const invalid = await patch(access, { profile: { website: 'javascript:alert(1)' } });
    expectLimited(invalid);
  });

  it('is one budget per user: another user is not affected', async () => {
    setClock({ now: () => Date.UTC(2026, 8, 1, 12) });
    const [a, b] = [await createVerifiedUser(), await createVerifiedUser()];
    const [tokenA, tokenB] = [(await login(a)).access, (await login(b)).access];
    const call = (access: string) => callWorker('/api/v1/auth/me', { method: 'PATCH', token: access, body: { first_name: 'X' }, env: { LIMIT_ME_UPDATE: '2/60' } });
    expect((await call(tokenA)).status).toBe(200);
    expect((await call(tokenA)).status).toBe(200);
    expectLimited(await call(tokenA), 60);
    expect((await call(tokenB)).status).toBe(200);
  });
});
