import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { api } from './helpers/api';
import { createVerifiedUser, login } from './helpers/users';
import { call, claimsOf, DAY, MINUTE } from './session-activity.helpers';

afterEach(() => setClock(null));

function fixedClock(start = Date.now()) {
  const time = { now: start };
  setClock({ now: () => time.now });
  return time;
}

const me = (token: string, headers: Record<string, string> = {}) => call('/api/v1/auth/me', { token, headers });
const renewed = (res: { headers: Headers }) => res.headers.get('X-Renewed-Access');

describe('auto-renew', () => {
  it('renews an access token with 5 minutes or less left, for the same session, and exposes the headers to CORS', async () => {
    const time = fixedClock();
    const tokens = await login(await createVerifiedUser());
    time.now += 11 * MINUTE; // 4 minutes left
    const res = await me(tokens.access, { Origin: 'http://localhost:3000' });
    expect(res.status).toBe(200);
    const fresh = renewed(res);
    expect(fresh).toBeTruthy();
    expect(res.headers.get('X-Renewed-Access-Expires-In')).toBe('900');
    const exposed = (res.headers.get('Access-Control-Expose-Headers') ?? '').toLowerCase();
    expect(exposed).toContain('x-renewed-access');
    expect(exposed).toContain('x-renewed-access-expires-in');
    expect(claimsOf(fresh!).sid).toBe(claimsOf(tokens.access).sid);
    expect(claimsOf(fresh!).exp).toBe(Math.floor(time.now / 1000) + 900);
    // The renewed token works after the old one has expired.
    time.now += 10 * MINUTE;
    expect((await me(tokens.access)).status).toBe(401);
    expect((await me(fresh!)).status).toBe(200);
  });

  it('does not renew on a refused request (bad input changes nothing)', async () => {
    const time = fixedClock();
    const tokens = await login(await createVerifiedUser());
    time.now += 11 * MINUTE;
    const refused = await call('/api/v1/auth/me', { method: 'PATCH', token: tokens.access, body: { first_name: 42 } });
    expect(refused.status).toBe(400);
    expect(renewed(refused)).toBeNull();
    const check = await call('/api/v1/auth/session/check', { token: tokens.access });
    expect(check.body.session.expires_at).toBe(new Date(time.now - 11 * MINUTE + 7 * DAY).toISOString());
  });

  it('does nothing far from expiry', async () => {
    const time = fixedClock();
    const tokens = await login(await createVerifiedUser());
    time.now += 9 * MINUTE; // 6 minutes left
    const res = await me(tokens.access);
    expect(res.status).toBe(200);
    expect(renewed(res)).toBeNull();
    expect(res.headers.get('X-Renewed-Access-Expires-In')).toBeNull();
  });

  it('never renews an expired token, even inside the 30 s of clock skew verification tolerates', async () => {
    const time = fixedClock();
    const tokens = await login(await createVerifiedUser());
    time.now += 15 * MINUTE + 10_000;
    const tolerated = await me(tokens.access);
    expect(tolerated.status).toBe(200);
    expect(renewed(tolerated)).toBeNull();
    time.now += MINUTE;
    const expired = await me(tokens.access);
    expect(expired.status).toBe(401);
    expect(renewed(expired)).toBeNull();
  });

  it('is refused after logout, even where the KV revocation mark has not arrived yet', async () => {
    const time = fixedClock();
    const tokens = await login(await createVerifiedUser());
    expect((await api('/api/v1/auth/logout', { body: { refresh: tokens.refresh } })).status).toBe(204);
    // Another location: the eventually consistent mark is not there, the object still says no.
    await env.KV.delete(`revoked:session:${claimsOf(tokens.access).sid}`);
    time.now += 11 * MINUTE;
    const res = await me(tokens.access);
    expect(res.status).toBe(200); // read routes honour revocation within 60 s (API.md)
    expect(renewed(res)).toBeNull();
    expect((await call('/api/v1/auth/session/refresh', { method: 'POST', token: tokens.access })).status).toBe(401);
  });

  it('is refused after the session was revoked from another session', async () => {
    const time = fixedClock();
    const user = await createVerifiedUser();
    const victim = await login(user);
    const owner = await login(user);
    const sid = claimsOf(victim.access).sid;
    expect((await api(`/api/v1/auth/sessions/${sid}`, { method: 'DELETE', token: owner.access })).status).toBe(204);
    await env.KV.delete(`revoked:session:${sid}`);
    time.now += 11 * MINUTE;
    const res = await me(victim.access);
    expect(renewed(res)).toBeNull();
    // The owner's own session still renews.
    expect(renewed(await me(owner.access))).toBeTruthy();
  });

  it('a stolen access token cannot live forever: renewals stop at the session\'s absolute end', async () => {
    const time = fixedClock();
    const tokens = await login(await createVerifiedUser());
    const check = await call('/api/v1/auth/session/check', { token: tokens.access });
    const absoluteEnd = Date.parse(check.body.session.absolute_expires_at);
    expect(absoluteEnd - time.now).toBe(30 * DAY);
    // The holder of the refresh token keeps the session alive up to an hour before its end.
    let refresh = tokens.refresh;
    let access = tokens.access;
    while (time.now < absoluteEnd - 7 * DAY) {
      time.now += 6 * DAY;
      const r = await api('/api/v1/auth/refresh', { body: { refresh } });
      expect(r.status).toBe(200);
      ({ refresh, access } = r.body);
    }
    time.now = absoluteEnd - 60 * MINUTE;
    const last = await api('/api/v1/auth/refresh', { body: { refresh } });
    expect(last.status).toBe(200);
    // From here on only the access token, renewed silently, as a thief would.
    access = last.body.access;
    let renewals = 0;
    for (let step = 0; step < 20; step++) {
      time.now += 11 * MINUTE;
      const res = await me(access);
      if (res.status === 401) break;
      const fresh = renewed(res);
      if (!fresh) continue;
      renewals += 1;
      expect(claimsOf(fresh).exp * 1000).toBeLessThanOrEqual(absoluteEnd);
      expect(Number(res.headers.get('X-Renewed-Access-Expires-In'))).toBe(claimsOf(fresh).exp - Math.floor(time.now / 1000));
      access = fresh;
    }
    expect(renewals).toBeGreaterThanOrEqual(3);
    expect(claimsOf(access).exp * 1000).toBeLessThanOrEqual(absoluteEnd);
    // Past the absolute end nothing works and nothing renews.
    time.now = absoluteEnd + 1000;
    const after = await me(access);
    expect(renewed(after)).toBeNull();
    expect((await call('/api/v1/auth/session/refresh', { method: 'POST', token: access })).status).toBe(401);
    expect((await api('/api/v1/auth/refresh', { body: { refresh } })).status).toBe(401);
  });

  it('an admin lock stops renewal; session refresh answers 423', async () => {
    const time = fixedClock();
    const user = await createVerifiedUser();
    const tokens = await login(user);
    await env.DB.prepare("UPDATE users SET role = 'admin' WHERE id = ?").bind(user.id).run();
    const admin = await createVerifiedUser();
    await env.DB.prepare("UPDATE users SET role = 'admin' WHERE id = ?").bind(admin.id).run();
    const staff = await login(admin);
    const lock = await api(`/api/v1/admin/users/${user.id}/lock`, { token: staff.access, body: { minutes: 60 } });
    expect(lock.status).toBe(200);
    time.now += 11 * MINUTE;
    expect(renewed(await me(tokens.access))).toBeNull();
    const refused = await call('/api/v1/auth/session/refresh', { method: 'POST', token: tokens.access });
    expect(refused.status).toBe(423);
  });
});

describe('GET /auth/session/check and POST /auth/session/refresh', () => {
  it('check describes the live session and the user; 401 after logout', async () => {
    const time = fixedClock();
    const user = await createVerifiedUser();
    const tokens = await login(user);
    const res = await call('/api/v1/auth/session/check', { token: tokens.access });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      valid: true,
      session: {
        id: claimsOf(tokens.access).sid,
        created_at: new Date(time.now).toISOString(),
        last_seen_at: new Date(time.now).toISOString(),
        expires_at: new Date(time.now + 7 * DAY).toISOString(),
        absolute_expires_at: new Date(time.now + 30 * DAY).toISOString(),
      },
      user: { id: user.id, role: 'user', email_verified: true },
    });
    await api('/api/v1/auth/logout', { body: { refresh: tokens.refresh } });
    expect((await call('/api/v1/auth/session/check', { token: tokens.access })).status).toBe(401);
    expect((await call('/api/v1/auth/session/check')).status).toBe(401);
  });

  it('refresh moves the idle expiry (never past the absolute end) and answers an access token, no refresh token', async () => {
    const time = fixedClock();
    const start = time.now;
    const tokens = await login(await createVerifiedUser());
    time.now += DAY;
    const res = await call('/api/v1/auth/session/refresh', { method: 'POST', token: tokens.access });
    expect(res.status, JSON.stringify(res.body)).toBe(401); // the access token has expired a day ago
    time.now = start + 10 * MINUTE;
    const ok = await call('/api/v1/auth/session/refresh', { method: 'POST', token: tokens.access });
    expect(ok.status).toBe(200);
    expect(Object.keys(ok.body).sort()).toEqual(['access', 'expires_in', 'session', 'token_type']);
    expect(ok.body.expires_in).toBe(900);
    expect(ok.body.session.expires_at).toBe(new Date(time.now + 7 * DAY).toISOString());
    expect(ok.body.session.absolute_expires_at).toBe(new Date(start + 30 * DAY).toISOString());
    // The old refresh token still rotates: session refresh moved nothing of its generation.
    expect((await api('/api/v1/auth/refresh', { body: { refresh: tokens.refresh } })).status).toBe(200);
  });

  it('refresh tokens expire at the session\'s absolute end', async () => {
    const time = fixedClock();
    const tokens = await login(await createVerifiedUser());
    expect(claimsOf(tokens.refresh).exp).toBe(Math.floor((time.now + 30 * DAY) / 1000));
  });
});
