import { describe, expect, it } from 'vitest';
import { api, registration, STRONG_PASSWORD } from './helpers/api';
import { documentedApi, expectDocumented } from './helpers/openapi';
import { ingest } from './events.fixtures';
import { setPrivate, socialUser } from './helpers/social';
import { signedIn } from './admin.fixtures';
import { createVerifiedUser, login } from './helpers/users';

/**
 * A representative request per main flow, each answer checked against the document's own
 * schema for its operation and status (helpers/openapi.ts): a route that answers other
 * than it documents fails here.
 */
describe('answers match the OpenAPI document', () => {
  it('register, login, refresh, token verify, sessions, logout', async () => {
    const body = registration({ username: `doc${crypto.randomUUID().slice(0, 8)}` });
    const registered = await documentedApi('/api/v1/auth/register', { body });
    expect(registered.status).toBe(201);
    const { env } = await import('cloudflare:workers');
    await env.DB.prepare('UPDATE users SET email_verified = 1 WHERE id = ?').bind(registered.body.user.id).run();

    const login = await documentedApi('/api/v1/auth/login', { body: { email: body.email, password: STRONG_PASSWORD } });
    expect(login.status).toBe(200);
    const refreshed = await documentedApi('/api/v1/auth/refresh', { body: { refresh: login.body.refresh } });
    expect(refreshed.status).toBe(200);
    const token = refreshed.body.access;
    expect((await documentedApi('/api/v1/auth/token/verify', { body: { token } })).status).toBe(200);
    expect((await documentedApi('/api/v1/auth/sessions', { token })).status).toBe(200);
    expect((await documentedApi('/api/v1/auth/logout', { body: { refresh: refreshed.body.refresh } })).status).toBe(204);
  });

  it('me, settings, MFA setup and the mail-sending routes', async () => {
    const me = await socialUser();
    expect((await documentedApi('/api/v1/auth/me', { token: me.access })).status).toBe(200);
    const patched = await documentedApi('/api/v1/auth/me', { method: 'PATCH', token: me.access, body: { first_name: 'Doc', profile: { bio: 'hi' } } });
    expect([patched.status, patched.body.first_name]).toEqual([200, 'Doc']);
    expect((await documentedApi('/api/v1/settings', { token: me.access })).status).toBe(200);
    expect((await documentedApi('/api/v1/settings', { method: 'PATCH', token: me.access, body: { theme: 'dark' } })).status).toBe(200);
    expect((await documentedApi('/api/v1/auth/otp/request', { body: { email: me.email } })).status).toBe(200);
    expect((await documentedApi('/api/v1/auth/password/forgot', { body: { email: me.email } })).status).toBe(200);
    expect((await documentedApi('/api/v1/auth/resend-verification', { body: { email: me.email } })).status).toBe(200);
    const setup = await documentedApi('/api/v1/auth/mfa/totp/setup', { token: me.access, body: { password: STRONG_PASSWORD } });
    expect(setup.status).toBe(200);
  });

  it('follow, follow lists, profile, blocks, professional profile', async () => {
    const [alice, bob] = await Promise.all([socialUser(), socialUser()]);
    const followed = await documentedApi('/api/v1/follows', { token: alice.access, body: { user_id: bob.id } });
    expect(followed.status).toBe(201);
    const again = await documentedApi('/api/v1/follows', { token: alice.access, body: { user_id: bob.id } });
    expect(again.status).toBe(200);
    expect((await documentedApi('/api/v1/follows', { token: alice.access })).status).toBe(200);
    expect((await documentedApi(`/api/v1/users/${bob.id}/followers`, { token: alice.access })).body.count).toBe(1);
    const profile = await documentedApi(`/api/v1/profiles/${bob.id}`, { token: alice.access });
    expect([profile.status, profile.body.follow_status]).toEqual([200, 'following']);
    const own = await documentedApi(`/api/v1/profiles/by-username/${alice.username}`, { token: alice.access });
    expect([own.status, own.body.follow_status]).toEqual([200, 'self']);
    expect((await documentedApi('/api/v1/profiles', { token: alice.access })).status).toBe(200);
    const pro = await documentedApi('/api/v1/professional-profiles', { token: bob.access, body: { company_name: 'Acme', certifications: ['CPA'] } });
    expect(pro.status).toBe(201);
    expect((await documentedApi(`/api/v1/professional-profiles/${bob.id}`, { token: alice.access })).status).toBe(200);
    expect((await documentedApi(`/api/v1/follows/${followed.body.id}`, { method: 'DELETE', token: alice.access })).status).toBe(204);
    const blocked = await documentedApi('/api/v1/blocks', { token: alice.access, body: { user_id: bob.id } });
    expect(blocked.status).toBe(201);
    expect((await documentedApi('/api/v1/blocks', { token: alice.access })).body.count).toBe(1);
  });

  it('admin: user list and detail, lock, audit events', async () => {
    const [admin, target] = await Promise.all([signedIn('admin'), socialUser()]);
    const token = admin.token;
    expect((await documentedApi('/api/v1/admin/users', { token })).status).toBe(200);
    expect((await documentedApi(`/api/v1/admin/users/${target.id}`, { token })).status).toBe(200);
    expect((await documentedApi(`/api/v1/admin/users/${target.id}/lock`, { token, body: { minutes: 60, reason: 'doc test' } })).status).toBe(200);
    expect((await documentedApi(`/api/v1/admin/users/${target.id}/unlock`, { token, method: 'POST' })).status).toBe(200);
    expect((await documentedApi('/api/v1/admin/audit-events', { token })).status).toBe(200);
  });

  it('follow requests, settings PUT, unblock, professional profile changes, sign-out of sessions', async () => {
    const [owner, asker] = await Promise.all([socialUser(), socialUser()]);
    await setPrivate(owner.id);
    const asked = await documentedApi('/api/v1/follows', { token: asker.access, body: { user_id: owner.id } });
    expect([asked.status, asked.body.status]).toEqual([201, 'pending']);
    expect((await documentedApi('/api/v1/follows/requests', { token: owner.access })).body.count).toBe(1);
    expect((await documentedApi(`/api/v1/follows/${asked.body.id}/approve`, { method: 'POST', token: owner.access })).body.status).toBe('accepted');
    expect((await documentedApi(`/api/v1/users/${asker.id}/following`, { token: owner.access })).status).toBe(200);
    const third = await socialUser();
    const refused = await documentedApi('/api/v1/follows', { token: third.access, body: { user_id: owner.id } });
    expect((await documentedApi(`/api/v1/follows/${refused.body.id}/reject`, { method: 'POST', token: owner.access })).status).toBe(204);

    const settings = await documentedApi('/api/v1/settings', { token: owner.access });
    expect((await documentedApi('/api/v1/settings', { method: 'PUT', token: owner.access, body: { ...settings.body, theme: 'light' } })).body.theme).toBe('light');

    const blocked = await documentedApi('/api/v1/blocks', { token: owner.access, body: { user_id: asker.id, reason: 'doc' } });
    expect((await documentedApi(`/api/v1/blocks/${blocked.body.id}`, { method: 'DELETE', token: owner.access })).status).toBe(204);

    expect((await documentedApi('/api/v1/professional-profiles', { token: owner.access, body: { job_title: 'Editor' } })).status).toBe(201);
    const patchedPro = await documentedApi('/api/v1/professional-profiles/me', { method: 'PATCH', token: owner.access, body: { years_experience: 3 } });
    expect(patchedPro.status).toBe(200);
    const { user_id, is_verified, verified_at, created_at, updated_at, ...whole } = patchedPro.body;
    expect((await documentedApi('/api/v1/professional-profiles/me', { method: 'PUT', token: owner.access, body: { ...whole, job_title: 'Chief' } })).body.job_title).toBe('Chief');
    expect((await documentedApi('/api/v1/professional-profiles', { token: owner.access })).status).toBe(200);
    expect((await documentedApi('/api/v1/professional-profiles/me', { method: 'DELETE', token: owner.access })).status).toBe(204);

    await login({ email: asker.email, password: STRONG_PASSWORD });
    const sessions = await documentedApi('/api/v1/auth/sessions', { token: asker.access });
    const other = sessions.body.results.find((s: { current: boolean }) => !s.current);
    expect((await documentedApi(`/api/v1/auth/sessions/${other.id}`, { method: 'DELETE', token: asker.access })).status).toBe(204);
    expect((await documentedApi(`/api/v1/auth/sessions/${crypto.randomUUID()}`, { method: 'DELETE', token: asker.access })).status).toBe(404);
    expect((await documentedApi('/api/v1/auth/logout-all', { method: 'POST', token: asker.access })).status).toBe(204);
  });

  it('admin: the rest of the staff API', async () => {
    const [admin, target] = await Promise.all([signedIn('admin'), socialUser()]);
    const token = admin.token;
    const user = `/api/v1/admin/users/${target.id}`;
    expect((await documentedApi('/api/v1/professional-profiles', { token: target.access, body: { job_title: 'Nurse' } })).status).toBe(201);
    expect((await documentedApi(`${user}/verification`, { token })).status).toBe(200);
    expect((await documentedApi(user, { method: 'PATCH', token, body: { first_name: 'Changed' } })).body.first_name).toBe('Changed');
    expect((await documentedApi(`${user}/suspend`, { token, body: { reason: 'doc test' } })).body.is_suspended).toBe(true);
    expect((await documentedApi(`${user}/unsuspend`, { token, method: 'POST' })).body.is_suspended).toBe(false);
    expect((await documentedApi(`${user}/suppression`, { token, method: 'DELETE' })).body.lifted).toBe(false);
    expect((await documentedApi(`${user}/revoke-sessions`, { token, method: 'POST' })).body.revoked).toBe(1);
    expect((await documentedApi(`${user}/reset-mfa`, { token, method: 'POST' })).status).toBe(400);
    expect((await documentedApi('/api/v1/admin/mail-failures', { token })).status).toBe(200);
    expect((await documentedApi('/api/v1/admin/professional-profiles', { token })).body.count).toBeGreaterThan(0);
    expect((await documentedApi(`/api/v1/admin/professional-profiles/${target.id}/verify`, { token, body: { verified: true, note: 'checked' } })).body.is_verified).toBe(true);
    expect((await documentedApi(user, { method: 'DELETE', token })).status).toBe(204);
    expect((await documentedApi(`${user}/restore`, { token, method: 'POST' })).body.deleted_at).toBeNull();
    expect((await documentedApi(`/api/v1/admin/users/${crypto.randomUUID()}`, { token })).status).toBe(404);
  });

  it('badges: definitions, awards, featuring, leaderboard, progress, analytics, revoking', async () => {
    const [admin, holder] = await Promise.all([signedIn('admin'), socialUser()]);
    const token = admin.token;
    const slug = `doc-${crypto.randomUUID().slice(0, 8)}`;
    const definition = { name: 'Doc badge', slug, category: 'achievement', rarity: 'rare', criteria: { type: 'counter', field: 'follower_count', threshold: 1000 } };
    const created = await documentedApi('/api/v1/badges', { token, body: definition });
    expect(created.status).toBe(201);
    const badge = `/api/v1/badges/${created.body.id}`;
    expect((await documentedApi('/api/v1/badges', { token: holder.access })).status).toBe(200);
    expect((await documentedApi(badge, { token: holder.access })).body.slug).toBe(slug);
    expect((await documentedApi(badge, { method: 'PUT', token, body: { ...definition, description: 'Whole' } })).body.description).toBe('Whole');
    expect((await documentedApi(badge, { method: 'PATCH', token, body: { icon: 'star' } })).body.icon).toBe('star');
    const progress = await documentedApi(`/api/v1/users/${holder.id}/badge-progress`, { token: holder.access });
    expect(progress.body.eligible_badges.map((e: { badge: { slug: string } }) => e.badge.slug)).toContain(slug);

    const awarded = await documentedApi('/api/v1/user-badges', { token, body: { user_id: holder.id, badge: slug, reason: 'doc' } });
    expect(awarded.status).toBe(201);
    expect((await documentedApi('/api/v1/user-badges', { token, body: { user_id: holder.id, badge: slug } })).status).toBe(200);
    expect((await documentedApi(`/api/v1/user-badges?user=${holder.id}`, { token: holder.access })).body).toHaveLength(1);
    expect((await documentedApi(`/api/v1/user-badges/${awarded.body.id}`, { token: holder.access })).status).toBe(200);
    const featured = await documentedApi(`/api/v1/user-badges/${awarded.body.id}`, { method: 'PATCH', token: holder.access, body: { is_featured: true } });
    expect(featured.body.is_featured).toBe(true);
    const board = await documentedApi('/api/v1/badges/leaderboard?timeframe=7d&limit=50', { token: holder.access });
    expect(board.body.length).toBeGreaterThan(0);
    const analytics = await documentedApi('/api/v1/admin/badges/analytics', { token });
    expect(analytics.body.totals.awards).toBeGreaterThan(0);
    expect((await documentedApi(`/api/v1/admin/user-badges/${awarded.body.id}`, { method: 'DELETE', token, body: { reason: 'doc' } })).status).toBe(204);
    expect((await documentedApi(badge, { method: 'DELETE', token })).status).toBe(204);
  });

  it('events: the own list, a client event, ingestion by a service, review by staff', async () => {
    const [admin, user, author] = await Promise.all([signedIn('admin'), socialUser(), socialUser()]);
    const posted = await documentedApi('/api/v1/events', { token: user.access, body: { event_type: 'feature_used', description: 'doc', metadata: { feature: 'docs' } } });
    expect(posted.status).toBe(201);
    expect((await documentedApi('/api/v1/events?category=client', { token: user.access })).body.count).toBeGreaterThan(0);
    const ingested = await ingest({ events: [{ event_type: 'like', user_id: user.id, target_user: author.id, event_id: crypto.randomUUID() }] });
    await expectDocumented('POST', '/api/v1/internal/events', ingested);
    expect(ingested.body.created).toBe(1);
    const reviewed = await documentedApi(`/api/v1/admin/audit-events/${posted.body.id}`, { method: 'PATCH', token: admin.token, body: { reviewed: true, note: 'doc' } });
    expect([reviewed.status, reviewed.body.review_note]).toEqual([200, 'doc']);
  });

  it('admin support jobs: create an account, mail a reset and a verification, password history', async () => {
    const admin = await signedIn('admin');
    const token = admin.token;
    const created = await documentedApi('/api/v1/admin/users', { token, body: { email: `doc.${crypto.randomUUID().slice(0, 8)}@example.com`, first_name: 'Doc' } });
    expect(created.status).toBe(201);
    const user = `/api/v1/admin/users/${created.body.id}`;
    expect((await documentedApi(`${user}/send-password-reset`, { method: 'POST', token })).body.sent).toBe(true);
    expect((await documentedApi(`${user}/resend-verification`, { method: 'POST', token })).body.sent).toBe(true);
    expect((await documentedApi(`${user}/password-history`, { token })).body.results.length).toBeGreaterThan(0);
  });

  it('the replaced app\'s token check answers {}', async () => {
    const user = await socialUser();
    const verified = await documentedApi('/api/v1/auth/jwt/verify', { body: { token: user.access } });
    expect([verified.status, verified.body]).toEqual([200, {}]);
    expect((await documentedApi('/api/v1/auth/jwt/verify', { body: { token: 'nonsense' } })).status).toBe(401);
  });

  it('sessions: check, renew, the list with ended ones, the admin history and the daily statistics', async () => {
    const [admin, user] = await Promise.all([signedIn('admin'), createVerifiedUser()]);
    const ended = await login(user);
    expect((await documentedApi('/api/v1/auth/logout', { body: { refresh: ended.refresh } })).status).toBe(204);
    const { access } = await login(user);
    const check = await documentedApi('/api/v1/auth/session/check', { token: access });
    expect([check.status, check.body.user.id]).toEqual([200, user.id]);
    const renewed = await documentedApi('/api/v1/auth/session/refresh', { method: 'POST', token: access });
    expect(renewed.body.session.id).toBe(check.body.session.id);
    const sessions = await documentedApi('/api/v1/auth/sessions?include=ended', { token: renewed.body.access });
    expect(sessions.body.results.map((s: { end_reason: string | null }) => s.end_reason)).toEqual([null, 'logout']);
    expect((await documentedApi(`/api/v1/admin/users/${user.id}/sessions`, { token: admin.token })).body.results).toHaveLength(2);
    const { env } = await import('cloudflare:workers');
    await env.DB.prepare('INSERT OR REPLACE INTO daily_stats (day, signups, logins, active_users, sessions_ended, avg_session_seconds, created_at) VALUES (?, 1, 2, 3, 4, 5, ?)')
      .bind('2001-02-03', Date.now())
      .run();
    const stats = await documentedApi('/api/v1/admin/stats?from=2001-02-01&to=2001-02-28', { token: admin.token });
    expect(stats.body.results.map((r: { day: string }) => r.day)).toEqual(['2001-02-03']);
  });

  it('health and the public keys', async () => {
    expect((await documentedApi('/health')).status).toBe(200);
    expect((await documentedApi('/api/v1/health')).status).toBe(200);
    expect((await documentedApi('/.well-known/jwks.json')).status).toBe(200);
  });

  it('the one error shape: 400, 401, 403, 404, 409 on documented operations', async () => {
    const user = await socialUser();
    const errors = [
      await documentedApi('/api/v1/auth/register', { body: { email: 'not-an-email' } }),
      await documentedApi('/api/v1/auth/login', { body: { email: user.email, password: 'wrong' } }),
      await documentedApi('/api/v1/auth/me'),
      await documentedApi('/api/v1/admin/users', { token: user.access }),
      await documentedApi(`/api/v1/profiles/${crypto.randomUUID()}`, { token: user.access }),
      await documentedApi('/api/v1/auth/register', { body: registration({ email: user.email }) }),
      await documentedApi('/api/v1/follows', { token: user.access, body: { user_id: user.id } }),
    ];
    expect(errors.map((e) => e.status)).toEqual([400, 401, 401, 403, 404, 409, 400]);
    for (const e of errors) expect(e.body.error.request_id).toBe(e.headers.get('X-Request-Id'));
  });

  it('the check is not a rubber stamp: an answer unlike the document fails it', async () => {
    const res = await api('/api/v1/health');
    await expect(expectDocumented('GET', '/api/v1/health', { ...res, body: { status: 'fine' } })).rejects.toThrow(/does not match the document/);
    await expect(expectDocumented('GET', '/api/v1/health', { ...res, status: 201 })).rejects.toThrow(/does not document status 201/);
    await expect(expectDocumented('GET', '/api/v1/nowhere', res)).rejects.toThrow(/not in the document/);
  });
});
