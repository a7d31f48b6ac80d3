import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { api, registration } from './helpers/api';
import { createVerifiedUser, login } from './helpers/users';
import { extractCode, waitForMail } from './helpers/mail';
import { adminApi, auditRows, signedIn } from './admin.fixtures';

/** A marker unique to one test, so lists are checked against this test's rows only. */
const marker = () => `zq${crypto.randomUUID().slice(0, 6)}`;

describe('admin users list', () => {
  it('searches email, username, first and last name by prefix, case-insensitively, every word must match', async () => {
    const admin = await signedIn('admin');
    const m = marker();
    const byEmail = await createVerifiedUser({ email: `${m}.mail@example.com`, first_name: 'Ada', last_name: 'Byron' });
    const byUsername = await createVerifiedUser({ username: `${m}_Handle`, first_name: 'Grace', last_name: 'Hopper' });
    const byFirst = await createVerifiedUser({ first_name: `${m.toUpperCase()}first`, last_name: 'Lamarr' });
    const byLast = await createVerifiedUser({ first_name: 'Hedy', last_name: `${m}Last` });

    const ids = async (search: string) => ((await adminApi(admin, `/users?search=${encodeURIComponent(search)}`)).body.results as { id: string }[]).map((u) => u.id).sort();
    expect(await ids(m.toUpperCase())).toEqual([byEmail.id, byUsername.id, byFirst.id, byLast.id].sort());
    expect(await ids(`${m}.MAIL@`)).toEqual([byEmail.id]);
    expect(await ids(`${m}_handle`)).toEqual([byUsername.id]);
    expect(await ids(`${m}FIRST`)).toEqual([byFirst.id]);
    expect(await ids(`${m} hopper`)).toEqual([byUsername.id]);
    expect(await ids(`${m} nobody`)).toEqual([]);
    // A prefix search: the middle of a value does not match.
    expect(await ids(m.slice(2))).toEqual([]);
  });

  it('filters by role, email_verified, is_active and deleted', async () => {
    const admin = await signedIn('admin');
    const m = marker();
    const plain = await createVerifiedUser({ first_name: m });
    const unverified = await api('/api/v1/auth/register', { body: registration({ first_name: m }) });
    const manager = await signedIn('manager', { first_name: m });
    const inactive = await createVerifiedUser({ first_name: m });
    await env.DB.prepare('UPDATE users SET is_active = 0 WHERE id = ?').bind(inactive.id).run();
    const deleted = await createVerifiedUser({ first_name: m });
    await env.DB.prepare('UPDATE users SET deleted_at = ? WHERE id = ?').bind(Date.now(), deleted.id).run();

    const ids = async (filters: string) =>
      ((await adminApi(admin, `/users?search=${m}&${filters}`)).body.results as { id: string }[]).map((u) => u.id).sort();
    expect(await ids('')).toEqual([plain.id, unverified.body.user.id, manager.id, inactive.id].sort());
    expect(await ids('role=manager')).toEqual([manager.id]);
    expect(await ids('email_verified=false')).toEqual([unverified.body.user.id]);
    expect(await ids('is_active=false')).toEqual([inactive.id]);
    expect(await ids('is_active=true&role=user&email_verified=true')).toEqual([plain.id]);
    expect(await ids('deleted=true')).toEqual([deleted.id]);
    const bad = await adminApi(admin, '/users?role=root&is_active=maybe');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.error.fields).sort()).toEqual(['is_active', 'role']);
  });

  it('paginates with count, next and previous, clamps page_size to 100 and orders on request', async () => {
    const admin = await signedIn('admin');
    const m = marker();
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await createVerifiedUser({ first_name: m, email: `${m}${i}@example.com` }));
    const first = await adminApi(admin, `/users?search=${m}&page_size=2&ordering=email`);
    expect(first.status).toBe(200);
    expect(first.body.count).toBe(5);
    expect(first.body.results.map((u: { email: string }) => u.email)).toEqual([`${m}0@example.com`, `${m}1@example.com`]);
    expect(first.body.previous).toBeNull();
    const nextUrl = new URL(first.body.next);
    expect(nextUrl.searchParams.get('page')).toBe('2');
    const third = await adminApi(admin, `/users?search=${m}&page_size=2&ordering=email&page=3`);
    expect(third.body.results.map((u: { email: string }) => u.email)).toEqual([`${m}4@example.com`]);
    expect(third.body.next).toBeNull();
    expect(new URL(third.body.previous).searchParams.get('page')).toBe('2');
    const descending = await adminApi(admin, `/users?search=${m}&ordering=-email`);
    expect(descending.body.results[0].email).toBe(`${m}4@example.com`);
    expect((await adminApi(admin, `/users?search=${m}&page=4&page_size=2`)).status).toBe(404);
    const clamped = await adminApi(admin, '/users?page_size=1000');
    expect(clamped.status).toBe(200);
    expect(clamped.body.results.length).toBeLessThanOrEqual(100);
    expect((await adminApi(admin, '/users?page=0')).status).toBe(400);
    // Default order: newest first.
    const newest = await adminApi(admin, `/users?search=${m}`);
    expect(newest.body.results[0].id).toBe(created[4]!.id);
  });
});

describe('admin user detail', () => {
  it('shows profile, devices, sessions, recent events, lockout and pending verification, including soft-deleted accounts', async () => {
    const admin = await signedIn('admin');
    const reg = await api('/api/v1/auth/register', {
      body: registration({ device: { fingerprint_hash: 'fp-1', device_type: 'desktop', browser: 'Firefox', os: 'Linux' } }),
    });
    const id = reg.body.user.id as string;
    const res = await adminApi(admin, `/users/${id}`);
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id, email_verified: false, role: 'user', deleted_at: null });
    expect(res.body.profile).toMatchObject({ bio: '', timezone: '' });
    expect(res.body.devices).toEqual([expect.objectContaining({ device_type: 'desktop', browser: 'Firefox', os: 'Linux' })]);
    expect(res.body.devices[0]).not.toHaveProperty('fingerprint_hash');
    expect(res.body.recent_events.map((e: { type: string }) => e.type)).toContain('user_registered');
    expect(res.body.lockout).toEqual({ locked: false, failures: 0, locked_until: null });
    expect(res.body.verification).toEqual({ pending: true, code_expired: false, link_expired: false, attempts_left: 5 });
    expect(res.body.sessions).toEqual([]);
    expect(res.body.mail_failures).toEqual([]);
    expect(res.body.mail_suppression).toBeNull();

    const wrong = await api('/api/v1/auth/verify-email', { body: { email: reg.body.user.email, code: '000000' } });
    expect(wrong.status).toBe(400);
    const after = await adminApi(admin, `/users/${id}/verification`);
    expect(after.body).toEqual({ email_verified: false, verification: expect.objectContaining({ pending: true }), codes: { login: null, reset: null } });
    // One wrong try is spent unless 000000 happened to be the code (then the try is not counted).
    expect([4, 5]).toContain(after.body.verification.attempts_left);

    await env.DB.prepare('UPDATE users SET deleted_at = ? WHERE id = ?').bind(Date.now(), id).run();
    const deleted = await adminApi(admin, `/users/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.user.deleted_at).not.toBeNull();
    expect((await adminApi(admin, `/users/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it('shows the state of emailed sign-in and reset codes: pending, expired, tries left, never the code', async () => {
    const admin = await signedIn('admin');
    const user = await createVerifiedUser();
    const codes = async () => (await adminApi(admin, `/users/${user.id}/verification`)).body.codes;
    expect(await codes()).toEqual({ login: null, reset: null });
    await api('/api/v1/auth/otp/request', { body: { email: user.email } });
    await api('/api/v1/auth/password/forgot', { body: { email: user.email } });
    const reset = extractCode((await waitForMail(user.email, { subject: /password reset/ })).text);
    const login = extractCode((await waitForMail(user.email, { subject: /sign-in code/ })).text);
    expect(await codes()).toEqual({
      login: { pending: true, code_expired: false, attempts_left: 5 },
      reset: { pending: true, code_expired: false, attempts_left: 5 },
    });
    const wrong = login === '000000' ? '111111' : '000000';
    await api('/api/v1/auth/otp/verify', { body: { email: user.email, code: wrong } });
    expect((await codes()).login).toEqual({ pending: true, code_expired: false, attempts_left: 4 });
    await api('/api/v1/auth/otp/verify', { body: { email: user.email, code: login } });
    expect((await codes()).login).toMatchObject({ pending: false });
    const detail = await adminApi(admin, `/users/${user.id}`);
    expect(detail.body.codes.reset).toEqual({ pending: true, code_expired: false, attempts_left: 5 });
    expect(JSON.stringify(detail.body)).not.toContain(reset);
    expect(JSON.stringify(detail.body)).not.toContain(login);
  });

  it('lists the sessions from the user\'s Durable Object', async () => {
    const admin = await signedIn('admin');
    const user = await createVerifiedUser();
    await login(user);
    await login(user, { device: { fingerprint_hash: 'phone', device_type: 'mobile', browser: 'Safari', os: 'iOS' } });
    const res = await adminApi(admin, `/users/${user.id}`);
    expect(res.body.sessions).toHaveLength(2);
    expect(res.body.sessions[0]).toEqual({
      id: expect.any(String),
      created_at: expect.any(String),
      last_seen_at: expect.any(String),
      expires_at: expect.any(String),
      ip: expect.any(String),
      user_agent: null,
      device: 'mobile / Safari / iOS',
    });
  });
});

describe('admin changes', () => {
  it('patches names and email_verified with an audit event naming the fields', async () => {
    const admin = await signedIn('admin');
    const reg = await api('/api/v1/auth/register', { body: registration() });
    const id = reg.body.user.id;
    const res = await adminApi(admin, `/users/${id}`, { method: 'PATCH', body: { first_name: ' Augusta ', email_verified: true } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ first_name: 'Augusta', email_verified: true, last_name: 'Lovelace' });
    const [event] = await auditRows(id, 'admin_user_updated');
    expect(event).toMatchObject({ actor_id: admin.id, severity: 'warning' });
    expect(JSON.parse(event!.metadata)).toEqual({ fields: ['email_verified', 'first_name'], email_verified: true, actor_role: 'admin' });
  });

  it('refuses unknown fields and empty patches instead of ignoring them', async () => {
    const admin = await signedIn('admin');
    const user = await createVerifiedUser();
    // (email became editable with issue 16: an unknown field is still refused.)
    const unknown = await adminApi(admin, `/users/${user.id}`, { method: 'PATCH', body: { password_hash: 'x' } });
    expect(unknown.status).toBe(400);
    const empty = await adminApi(admin, `/users/${user.id}`, { method: 'PATCH', body: {} });
    expect(empty.status).toBe(400);
    const badRole = await adminApi(admin, `/users/${user.id}`, { method: 'PATCH', body: { role: 'root' } });
    expect(badRole.status).toBe(400);
  });

  it('promotion shows in the next refresh; demotion ends the sessions so the refresh fails', async () => {
    const admin = await signedIn('admin');
    const user = await signedIn('user');
    const promoted = await adminApi(admin, `/users/${user.id}`, { method: 'PATCH', body: { role: 'manager' } });
    expect(promoted.body.role).toBe('manager');
    const refreshed = await api('/api/v1/auth/refresh', { body: { refresh: user.refresh } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.user.role).toBe('manager');
    const [event] = await auditRows(user.id, 'admin_role_changed');
    expect(JSON.parse(event!.metadata)).toMatchObject({ from: 'user', to: 'manager' });
    expect(event!.severity).toBe('high');

    const demoted = await adminApi(admin, `/users/${user.id}`, { method: 'PATCH', body: { role: 'user' } });
    expect(demoted.status).toBe(200);
    expect((await api('/api/v1/auth/refresh', { body: { refresh: refreshed.body.refresh } })).status).toBe(401);
    const again = await login(user);
    expect(again.user.role).toBe('user');
  });

  it('deactivation ends every session and refuses sign-in; reactivation lets the account back in', async () => {
    const admin = await signedIn('admin');
    const user = await signedIn('user');
    const res = await adminApi(admin, `/users/${user.id}`, { method: 'PATCH', body: { is_active: false } });
    expect(res.body.is_active).toBe(false);
    expect((await api('/api/v1/auth/refresh', { body: { refresh: user.refresh } })).status).toBe(401);
    const denied = await api('/api/v1/auth/login', { body: { email: user.email, password: user.password } });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('account_disabled');
    expect(await auditRows(user.id, 'admin_user_deactivated')).toHaveLength(1);
    await adminApi(admin, `/users/${user.id}`, { method: 'PATCH', body: { is_active: true } });
    await login(user);
    expect(await auditRows(user.id, 'admin_user_activated')).toHaveLength(1);
  });

  it('soft-deletes (sessions end, sign-in fails, hidden from the live list) and restores', async () => {
    const admin = await signedIn('admin');
    const user = await signedIn('user', { first_name: 'Deletable' });
    expect((await adminApi(admin, `/users/${user.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await adminApi(admin, `/users/${user.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await api('/api/v1/auth/refresh', { body: { refresh: user.refresh } })).status).toBe(401);
    expect((await api('/api/v1/auth/login', { body: { email: user.email, password: user.password } })).status).toBe(401);
    const live = await adminApi(admin, `/users?search=${encodeURIComponent(user.email)}`);
    expect(live.body.count).toBe(0);
    const trash = await adminApi(admin, `/users?search=${encodeURIComponent(user.email)}&deleted=true`);
    expect(trash.body.results.map((u: { id: string }) => u.id)).toEqual([user.id]);

    const restored = await adminApi(admin, `/users/${user.id}/restore`, { method: 'POST' });
    expect(restored.status).toBe(200);
    expect(restored.body.deleted_at).toBeNull();
    expect((await adminApi(admin, `/users/${user.id}/restore`, { method: 'POST' })).status).toBe(404);
    await login(user);
    expect(await auditRows(user.id, 'admin_user_deleted')).toHaveLength(1);
    expect(await auditRows(user.id, 'admin_user_restored')).toHaveLength(1);
  });

  it('signs a user out everywhere', async () => {
    const admin = await signedIn('admin');
    const user = await signedIn('user');
    const second = await login(user);
    const res = await adminApi(admin, `/users/${user.id}/revoke-sessions`, { method: 'POST' });
    expect(res.body).toEqual({ revoked: 2 });
    for (const refresh of [user.refresh, second.refresh]) {
      expect((await api('/api/v1/auth/refresh', { body: { refresh } })).status).toBe(401);
    }
    const [event] = await auditRows(user.id, 'admin_sessions_revoked');
    expect(JSON.parse(event!.metadata)).toMatchObject({ sessions: 2 });
    expect((await adminApi(admin, `/users/${user.id}`)).body.sessions).toEqual([]);
  });
});
