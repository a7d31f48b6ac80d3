import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { api, STRONG_PASSWORD, type ApiResponse } from './helpers/api';
import { createVerifiedUser, login } from './helpers/users';
import { adminApi, signedIn } from './admin.fixtures';
import { isMarkedRevoked, MEMO_LIMIT, MEMO_MS, type MarkMemo } from '../src/accounts/state/revocation-marks';

afterEach(() => setClock(null));

const refresh = (token: string) => api('/api/v1/auth/refresh', { body: { refresh: token } });
const logout = (token: string) => api('/api/v1/auth/logout', { body: { refresh: token } });
const verify = (token: string) => api('/api/v1/auth/token/verify', { body: { token } });
const patchMe = (token: string) => api('/api/v1/auth/me', { method: 'PATCH', token, body: { first_name: 'Grace' } });

/** Every bearer route that changes state, as a client would call it with `token`. */
function writes(token: string, otherSessionId = crypto.randomUUID()): [string, () => Promise<ApiResponse>][] {
  return [
    ['PATCH /auth/me', () => patchMe(token)],
    ['POST /auth/password/change', () => api('/api/v1/auth/password/change', { token, body: { current_password: STRONG_PASSWORD, new_password: 'Quiet-Harbor-Lantern-47' } })],
    ['POST /auth/mfa/totp/setup', () => api('/api/v1/auth/mfa/totp/setup', { token, body: { password: STRONG_PASSWORD } })],
    ['POST /auth/mfa/totp/confirm', () => api('/api/v1/auth/mfa/totp/confirm', { token, body: { code: '123456' } })],
    ['POST /auth/mfa/totp/disable', () => api('/api/v1/auth/mfa/totp/disable', { token, body: { password: STRONG_PASSWORD, code: '123456' } })],
    ['POST /auth/mfa/recovery-codes', () => api('/api/v1/auth/mfa/recovery-codes', { token, body: { password: STRONG_PASSWORD, code: '123456' } })],
    ['DELETE /auth/sessions/{id}', () => api(`/api/v1/auth/sessions/${otherSessionId}`, { method: 'DELETE', token })],
    ['POST /auth/logout-all', () => api('/api/v1/auth/logout-all', { method: 'POST', token })],
  ];
}

function expectDeadToken(res: ApiResponse, what: string) {
  expect([res.status, res.body?.error?.code], what).toEqual([401, 'unauthorized']);
  expect(res.headers.get('WWW-Authenticate'), what).toBe('Bearer error="invalid_token"');
}

async function sessionIds(token: string): Promise<{ current: string; others: string[] }> {
  const { results } = (await api('/api/v1/auth/sessions', { token })).body as { results: { id: string; current: boolean }[] };
  return { current: results.find((s) => s.current)!.id, others: results.filter((s) => !s.current).map((s) => s.id) };
}

describe('state-changing routes need a live session', () => {
  it('after logout, the old access token is refused by PATCH /auth/me and every other write, and nothing changes', async () => {
    const user = await createVerifiedUser();
    const other = await login(user);
    const loggedOut = await login(user);
    const { others } = await sessionIds(other.access);
    expect((await logout(loggedOut.refresh)).status).toBe(204);
    for (const [what, call] of writes(loggedOut.access, others[0])) expectDeadToken(await call(), what);
    // Nothing was done: the name, the password, two-factor and the other session are as they were.
    const me = (await api('/api/v1/auth/me', { token: other.access })).body;
    expect([me.first_name, me.mfa_enabled]).toEqual(['Ada', false]);
    expect((await refresh(other.refresh)).status).toBe(200);
    const row = await env.DB.prepare('SELECT count(*) AS n FROM mfa_totp WHERE user_id = ?').bind(user.id).first<{ n: number }>();
    expect(row?.n).toBe(0);
    expect((await login(user)).access).toBeTypeOf('string');
  });

  it('a live session still works: PATCH, password change, session delete and logout-all', async () => {
    const user = await createVerifiedUser();
    const a = await login(user);
    await login(user);
    const patched = await patchMe(a.access);
    expect([patched.status, patched.body.first_name]).toEqual([200, 'Grace']);
    const { others } = await sessionIds(a.access);
    expect((await api(`/api/v1/auth/sessions/${others[0]}`, { method: 'DELETE', token: a.access })).status).toBe(204);
    const changed = await api('/api/v1/auth/password/change', { token: a.access, body: { current_password: STRONG_PASSWORD, new_password: 'Quiet-Harbor-Lantern-47' } });
    expect(changed.status).toBe(200);
    // The password change kept the caller's session: it is still live.
    expect((await patchMe(a.access)).status).toBe(200);
    expect((await api('/api/v1/auth/logout-all', { method: 'POST', token: a.access })).status).toBe(204);
    expectDeadToken(await patchMe(a.access), 'after logout-all');
  });

  it("another session's logout does not touch this one", async () => {
    const user = await createVerifiedUser();
    const a = await login(user);
    const b = await login(user);
    expect((await logout(a.refresh)).status).toBe(204);
    expect((await patchMe(b.access)).status).toBe(200);
    expect((await verify(b.access)).body.valid).toBe(true);
  });

  it('a session revoked through DELETE /auth/sessions/{id} or by a password change is refused at once', async () => {
    const user = await createVerifiedUser();
    const a = await login(user);
    const b = await login(user);
    const c = await login(user);
    const { others } = await sessionIds(a.access);
    const bId = (await sessionIds(b.access)).current;
    expect(others).toContain(bId);
    expect((await api(`/api/v1/auth/sessions/${bId}`, { method: 'DELETE', token: a.access })).status).toBe(204);
    expectDeadToken(await patchMe(b.access), 'deleted session');
    const changed = await api('/api/v1/auth/password/change', { token: a.access, body: { current_password: STRONG_PASSWORD, new_password: 'Quiet-Harbor-Lantern-47' } });
    expect(changed.status).toBe(200);
    expectDeadToken(await patchMe(c.access), 'signed out by the password change');
  });

  it('a deactivated user gets 401 from PATCH /auth/me, whether or not the session was ended with it', async () => {
    // Through the admin API: deactivation also ends every session.
    const admin = await signedIn('admin');
    const user = await createVerifiedUser();
    const { access } = await login(user);
    expect((await adminApi(admin, `/users/${user.id}`, { method: 'PATCH', body: { is_active: false } })).status).toBe(200);
    expectDeadToken(await patchMe(access), 'deactivated by an admin');

    // Straight in D1 (a script, or a race with the session's end): the account check alone refuses.
    const other = await createVerifiedUser();
    const tokens = await login(other);
    await env.DB.prepare('UPDATE users SET is_active = 0 WHERE id = ?').bind(other.id).run();
    expectDeadToken(await patchMe(tokens.access), 'inactive, session still open');
    expect((await verify(tokens.access)).status).toBe(401);
    await env.DB.prepare('UPDATE users SET is_active = 1 WHERE id = ?').bind(other.id).run();
    expect((await patchMe(tokens.access)).status).toBe(200);
  });
});

describe('read routes honour revocation through the KV marks', () => {
  it('after logout, GET /auth/me and GET /auth/sessions refuse the old access token', async () => {
    const user = await createVerifiedUser();
    const tokens = await login(user);
    expect((await api('/api/v1/auth/me', { token: tokens.access })).status).toBe(200);
    expect((await logout(tokens.refresh)).status).toBe(204);
    expectDeadToken(await api('/api/v1/auth/me', { token: tokens.access }), 'GET /auth/me');
    expectDeadToken(await api('/api/v1/auth/sessions', { token: tokens.access }), 'GET /auth/sessions');
  });

  it('GET /auth/me reads the mark: a session marked revoked in KV is refused even before the object knows', async () => {
    const user = await createVerifiedUser();
    const tokens = await login(user);
    const { current } = await sessionIds(tokens.access);
    await env.KV.put(`revoked:session:${current}`, '1', { expirationTtl: 60 });
    expectDeadToken(await api('/api/v1/auth/me', { token: tokens.access }), 'marked');
  });

  it('keeps its last answer 10 s per isolate: a mark written elsewhere is honoured once that has passed', async () => {
    let now = Date.now();
    setClock({ now: () => now });
    const tokens = await login(await createVerifiedUser());
    const { current } = await sessionIds(tokens.access);
    expect((await api('/api/v1/auth/me', { token: tokens.access })).status).toBe(200);
    // Another location revoked it: its mark arrives here, this isolate still holds "not revoked".
    await env.KV.put(`revoked:session:${current}`, '1', { expirationTtl: 60 });
    now += MEMO_MS - 1;
    expect((await api('/api/v1/auth/me', { token: tokens.access })).status).toBe(200);
    now += 1;
    expectDeadToken(await api('/api/v1/auth/me', { token: tokens.access }), 'after the memo');
  });

  it('refuses at once in the isolate that revoked it, even before its KV mark can be read', async () => {
    let now = Date.now();
    setClock({ now: () => now });
    const tokens = await login(await createVerifiedUser());
    const { current } = await sessionIds(tokens.access);
    expect((await api('/api/v1/auth/me', { token: tokens.access })).status).toBe(200);
    expect((await logout(tokens.refresh)).status).toBe(204);
    await env.KV.delete(`revoked:session:${current}`);
    now += 1_000;
    expectDeadToken(await api('/api/v1/auth/me', { token: tokens.access }), 'revoked here');
  });

  it('holds at most MEMO_LIMIT answers, dropping the oldest', async () => {
    const now = Date.now();
    const memo: MarkMemo = new Map();
    for (let i = 0; i < MEMO_LIMIT; i++) memo.set(`old-${i}`, { revoked: false, until: now + MEMO_MS });
    const fresh = crypto.randomUUID();
    await env.KV.put(`revoked:session:${fresh}`, '1', { expirationTtl: 60 });
    expect(await isMarkedRevoked(env, fresh, now, memo)).toBe(true);
    expect(memo.size).toBe(MEMO_LIMIT);
    expect(memo.has('old-0')).toBe(false);
    expect(memo.get(fresh)).toEqual({ revoked: true, until: now + MEMO_MS });
    // A clock that went back past the answer's time does not trust it.
    await env.KV.delete(`revoked:session:${fresh}`);
    expect(await isMarkedRevoked(env, fresh, now - 1, memo)).toBe(false);
  });
});

describe('POST /auth/token/verify', () => {
  it('answers valid for a live session', async () => {
    const user = await createVerifiedUser();
    const { access } = await login(user);
    const res = await verify(access);
    expect([res.status, res.body.valid, res.body.claims.sub]).toEqual([200, true, user.id]);
  });

  it('answers 401 once the session is logged out', async () => {
    const user = await createVerifiedUser();
    const tokens = await login(user);
    expect((await logout(tokens.refresh)).status).toBe(204);
    const res = await verify(tokens.access);
    expect([res.status, res.body.error.code]).toEqual([401, 'unauthorized']);
  });

  it('answers 401 for a session revoked by refresh-token reuse', async () => {
    let now = Date.now();
    setClock({ now: () => now });
    const user = await createVerifiedUser();
    const first = await login(user);
    const rotated = await refresh(first.refresh);
    expect((await verify(rotated.body.access)).status).toBe(200);
    now += 11_000;
    expect((await refresh(first.refresh)).status).toBe(401);
    for (const token of [first.access, rotated.body.access]) {
      const res = await verify(token);
      expect([res.status, res.body.error.code]).toEqual([401, 'unauthorized']);
    }
    expectDeadToken(await patchMe(rotated.body.access), 'after reuse');
  });

  it('answers 401 for a user an admin soft-deleted, and for one deactivated', async () => {
    const admin = await signedIn('admin');
    const deleted = await createVerifiedUser();
    const deletedTokens = await login(deleted);
    expect((await verify(deletedTokens.access)).status).toBe(200);
    expect((await adminApi(admin, `/users/${deleted.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await verify(deletedTokens.access)).status).toBe(401);

    const deactivated = await createVerifiedUser();
    const tokens = await login(deactivated);
    expect((await adminApi(admin, `/users/${deactivated.id}`, { method: 'PATCH', body: { is_active: false } })).status).toBe(200);
    expect((await verify(tokens.access)).status).toBe(401);
  });

  it('answers 401 for a soft-deleted user whose session is still open (deleted in D1 alone)', async () => {
    const user = await createVerifiedUser();
    const { access } = await login(user);
    await env.DB.prepare('UPDATE users SET deleted_at = ? WHERE id = ?').bind(Date.now(), user.id).run();
    expect((await verify(access)).status).toBe(401);
    expectDeadToken(await patchMe(access), 'deleted in D1');
  });
});
