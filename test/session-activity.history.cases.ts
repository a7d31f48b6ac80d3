import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { HISTORY_SEEN_INTERVAL_MS } from '../src/accounts/state/session-history';
import { api } from './helpers/api';
import { createVerifiedUser, login, type TestUser } from './helpers/users';
import { call, claimsOf, historyRow, MINUTE } from './session-activity.helpers';
import { codeFromMail, RESET_MAIL } from './otp.helpers';

afterEach(() => setClock(null));

const sidOf = (tokens: { access: string }) => claimsOf(tokens.access).sid as string;

async function staff() {
  const admin = await createVerifiedUser();
  await env.DB.prepare("UPDATE users SET role = 'admin' WHERE id = ?").bind(admin.id).run();
  return (await login(admin)).access;
}

async function endReasonOf(sessionId: string): Promise<[string | null, boolean]> {
  const row = await historyRow(sessionId);
  return [row?.end_reason ?? null, row?.ended_at !== null && row?.ended_at !== undefined];
}

describe('session history (D1 mirror)', () => {
  it('a sign-in writes the row with device and request.cf country, city and colo, and counts the login', async () => {
    const user = await createVerifiedUser();
    const res = await call('/api/v1/auth/login', {
      body: { email: user.email, password: user.password, device: { fingerprint_hash: 'fp-1', device_type: 'mobile', browser: 'Firefox', os: 'Android' } },
      headers: { 'User-Agent': 'test-agent' },
      cf: { country: 'DE', city: 'Berlin', colo: 'FRA' },
    });
    expect(res.status).toBe(200);
    const row = await historyRow(sidOf(res.body));
    expect(row).toMatchObject({ user_id: user.id, country: 'DE', city: 'Berlin', colo: 'FRA', device_type: 'mobile', browser: 'Firefox', os: 'Android', user_agent: 'test-agent', ended_at: null, end_reason: null });
    const activity = await env.DB.prepare('SELECT logins FROM daily_activity WHERE user_id = ?').bind(user.id).first();
    expect(activity).toEqual({ logins: 1 });
  });

  it('a refresh moves last_seen_at and the expiry', async () => {
    let now = Date.now();
    setClock({ now: () => now });
    const tokens = await login(await createVerifiedUser());
    now += 2 * 86_400_000;
    expect((await api('/api/v1/auth/refresh', { body: { refresh: tokens.refresh } })).status).toBe(200);
    const row = await historyRow(sidOf(tokens));
    expect([row!.last_seen_at, row!.expires_at]).toEqual([now, now + 7 * 86_400_000]);
  });

  it('refreshes in a loop move last_seen_at once a minute, and the next refresh after it catches up', async () => {
    let now = Date.now();
    setClock({ now: () => now });
    const tokens = await login(await createVerifiedUser());
    let refresh = tokens.refresh;
    const rotate = async () => {
      const res = await api('/api/v1/auth/refresh', { body: { refresh } });
      expect(res.status).toBe(200);
      refresh = res.body.refresh;
    };
    now += 10_000;
    await rotate();
    const first = now;
    for (let i = 0; i < 5; i++) {
      now += 11_000; // under a minute since the write, and past the refresh token's 10 s reuse grace
      await rotate();
    }
    expect((await historyRow(sidOf(tokens)))!.last_seen_at).toBe(first);
    now = first + HISTORY_SEEN_INTERVAL_MS;
    await rotate();
    const row = await historyRow(sidOf(tokens));
    expect([row!.last_seen_at, row!.expires_at]).toEqual([now, now + 7 * 86_400_000]);
  });

  it('records every way a session ends, with its reason', async () => {
    let now = Date.now();
    setClock({ now: () => now });
    const user = await createVerifiedUser();
    const at = async (tokens: { access: string }) => endReasonOf(sidOf(tokens));

    const loggedOut = await login(user);
    await api('/api/v1/auth/logout', { body: { refresh: loggedOut.refresh } });
    expect(await at(loggedOut)).toEqual(['logout', true]);

    const [revoked, keeper] = [await login(user), await login(user)];
    await api(`/api/v1/auth/sessions/${sidOf(revoked)}`, { method: 'DELETE', token: keeper.access });
    expect(await at(revoked)).toEqual(['revoked', true]);

    const stolen = await login(user);
    await api('/api/v1/auth/refresh', { body: { refresh: stolen.refresh } });
    now += 11_000;
    await api('/api/v1/auth/refresh', { body: { refresh: stolen.refresh } });
    expect(await at(stolen)).toEqual(['reuse', true]);

    const other = await login(user);
    await api('/api/v1/auth/logout-all', { method: 'POST', token: keeper.access });
    expect(await at(keeper)).toEqual(['logout', true]);
    expect(await at(other)).toEqual(['logout', true]);

    const [changer, changedAway] = [await login(user), await login(user)];
    const change = await api('/api/v1/auth/password/change', { token: changer.access, body: { current_password: user.password, new_password: 'Copper-Lantern-Meadow-37' } });
    expect(change.status).toBe(200);
    expect(await at(changedAway)).toEqual(['password', true]);
    expect(await at(changer)).toEqual([null, false]);
  });

  it('a password reset ends every session with reason password', async () => {
    const user = await createVerifiedUser();
    const tokens = await login(user);
    expect((await api('/api/v1/auth/password/forgot', { body: { email: user.email } })).status).toBe(200);
    const { code } = await codeFromMail(user.email, RESET_MAIL);
    const reset = await api('/api/v1/auth/password/reset', { body: { email: user.email, code, new_password: 'Copper-Lantern-Meadow-37' } });
    expect(reset.status).toBe(200);
    expect(await endReasonOf(sidOf(tokens))).toEqual(['password', true]);
  });

  it('admin revoke, deactivate and delete end sessions with reason admin', async () => {
    const token = await staff();
    const ends: Record<string, [string | null, boolean]> = {};
    const cases: [string, (u: TestUser) => Promise<unknown>][] = [
      ['revoke', (u) => api(`/api/v1/admin/users/${u.id}/revoke-sessions`, { method: 'POST', token })],
      ['deactivate', (u) => api(`/api/v1/admin/users/${u.id}`, { method: 'PATCH', token, body: { is_active: false } })],
      ['delete', (u) => api(`/api/v1/admin/users/${u.id}`, { method: 'DELETE', token })],
    ];
    for (const [name, act] of cases) {
      const user = await createVerifiedUser();
      const tokens = await login(user);
      await act(user);
      ends[name] = await endReasonOf(sidOf(tokens));
    }
    expect(ends).toEqual({ revoke: ['admin', true], deactivate: ['admin', true], delete: ['admin', true] });
  });

  it('GET /auth/sessions?include=ended lists ended sessions with ended_at, end_reason and time_spent; the plain list is unchanged', async () => {
    let now = Date.now();
    setClock({ now: () => now });
    const user = await createVerifiedUser();
    const ended = await login(user);
    now += 25 * MINUTE;
    await api('/api/v1/auth/logout', { body: { refresh: ended.refresh } });
    const current = await login(user);
    const plain = await api('/api/v1/auth/sessions', { token: current.access });
    expect(plain.body.results).toHaveLength(1);
    expect(Object.keys(plain.body.results[0]).sort()).toEqual(['created_at', 'current', 'device', 'id', 'ip', 'last_seen_at', 'user_agent']);
    const all = await api('/api/v1/auth/sessions?include=ended', { token: current.access });
    expect(all.status).toBe(200);
    expect(all.body.results.map((s: any) => [s.id, s.current, s.end_reason, s.time_spent])).toEqual([
      [sidOf(current), true, null, 0],
      [sidOf(ended), false, 'logout', 25 * 60],
    ]);
    expect(all.body.results[1].ended_at).toBe(new Date(now).toISOString());
    // Past the 90-day retention an ended session is no longer listed.
    now += 91 * 86_400_000;
    const later = await login(user);
    const old = await api('/api/v1/auth/sessions?include=ended', { token: later.access });
    expect(old.body.results.map((s: any) => s.id)).not.toContain(sidOf(ended));
  });

  it('include takes only "ended"', async () => {
    const tokens = await login(await createVerifiedUser());
    const res = await api('/api/v1/auth/sessions?include=everything', { token: tokens.access });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_failed');
  });

  it('another user\'s ended sessions are never listed', async () => {
    const a = await createVerifiedUser();
    const b = await createVerifiedUser();
    const aTokens = await login(a);
    await api('/api/v1/auth/logout', { body: { refresh: aTokens.refresh } });
    const bTokens = await login(b);
    const res = await api('/api/v1/auth/sessions?include=ended', { token: bTokens.access });
    expect(res.body.results.map((s: any) => s.id)).toEqual([sidOf(bTokens)]);
  });

  it('the admin API shows the history: user detail and /admin/users/{id}/sessions', async () => {
    const token = await staff();
    const user = await createVerifiedUser();
    const first = await login(user);
    await api('/api/v1/auth/logout', { body: { refresh: first.refresh } });
    const second = await login(user);
    const detail = await api(`/api/v1/admin/users/${user.id}`, { token });
    expect(detail.body.session_history.map((s: any) => [s.id, s.end_reason])).toEqual(
      expect.arrayContaining([
        [sidOf(first), 'logout'],
        [sidOf(second), null],
      ]),
    );
    const list = await api(`/api/v1/admin/users/${user.id}/sessions`, { token });
    expect(list.status).toBe(200);
    expect(list.body.results).toHaveLength(2);
    expect((await api(`/api/v1/admin/users/${crypto.randomUUID()}/sessions`, { token })).status).toBe(404);
    // Not for users.
    expect((await api(`/api/v1/admin/users/${user.id}/sessions`, { token: second.access })).status).toBe(403);
  });
});
