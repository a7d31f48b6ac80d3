import { afterEach, describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { api } from './helpers/api';
import { createVerifiedUser, login, registerVerifiedUser } from './helpers/users';
import { setClock } from '../src/clock';
import { auditRows, signedIn } from './admin.fixtures';
import { ConsoleBrowser, csrfOf, textOf } from './console.fixtures';

afterEach(() => setClock(null));

async function staffBrowser(role: 'admin' | 'manager' = 'admin') {
  const staff = await signedIn(role);
  const browser = new ConsoleBrowser();
  await browser.signIn(staff.email, staff.password);
  return { staff, browser };
}

describe('console sign-in', () => {
  it('serves the sign-in page with a strict CSP, no script, and our own stylesheet', async () => {
    const browser = new ConsoleBrowser();
    const page = await browser.get('/admin/login');
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Type')).toMatch(/^text\/html/);
    const csp = page.headers.get('Content-Security-Policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe|script-src/);
    expect(page.html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page.html).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
    expect(page.html).toContain('<link rel="stylesheet" href="/admin/assets/console.css"/>');
    expect(page.html).toContain('<meta name="referrer" content="same-origin"/>');
    // The stylesheet and icon are static assets (public/admin/assets/), outside the Worker.
    const asset = (path: string) => env.ASSETS.fetch(`https://assets.invalid${path}`);
    const css = await asset('/admin/assets/console.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('Content-Type')).toBe('text/css; charset=utf-8');
    expect(css.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(css.headers.get('Cross-Origin-Resource-Policy')).toBe('same-origin');
    expect(await css.text()).toContain('body {');
    const icon = await asset('/admin/assets/favicon.svg');
    expect(icon.headers.get('Content-Type')).toBe('image/svg+xml');
    await icon.body?.cancel();
  });

  it('sends visitors without a session to the sign-in page', async () => {
    const browser = new ConsoleBrowser();
    for (const path of ['/admin', '/admin/users', '/admin/audit', '/admin/mail', `/admin/users/${crypto.randomUUID()}`]) {
      const page = await browser.get(path);
      expect(page.status, path).toBe(303);
      expect(page.location).toBe('/admin/login');
    }
  });

  it('signs an admin in with a __Host- cookie that is HttpOnly, Secure and SameSite=Strict, and opens a listed session', async () => {
    const admin = await signedIn('admin');
    const browser = new ConsoleBrowser();
    const page = await browser.signIn(admin.email, admin.password);
    const cookie = page.headers.get('Set-Cookie')!;
    expect(cookie).toMatch(/^__Host-gatehouse_console=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).not.toMatch(/Domain=/i);
    const users = await browser.get('/admin/users');
    expect(users.status).toBe(200);
    expect(textOf(users.html)).toContain(`${admin.email} (admin)`);
    const sessions = await api('/api/v1/auth/sessions', { token: admin.token });
    expect(sessions.body.results).toHaveLength(2);
    const events = await auditRows(admin.id, 'login_succeeded');
    expect(JSON.parse(events[0]!.metadata)).toMatchObject({ method: 'console' });
  });

  it('refuses plain users, wrong passwords and unverified or inactive staff, with the API\'s rules', async () => {
    const user = await createVerifiedUser();
    const browser = new ConsoleBrowser();
    const notStaff = await browser.post('/admin/login', { identifier: user.email, password: user.password });
    expect(notStaff.status).toBe(403);
    expect(textOf(notStaff.html)).toContain('This account cannot use the admin console.');
    expect(browser.cookie).toBeNull();
    const [refusal] = await auditRows(user.id, 'login_failed');
    expect(JSON.parse(refusal!.metadata)).toMatchObject({ reason: 'not_staff', via: 'console' });

    const admin = await signedIn('admin');
    const wrong = await browser.post('/admin/login', { identifier: admin.email, password: 'not-the-password' });
    expect(wrong.status).toBe(401);
    expect(textOf(wrong.html)).toContain('Invalid credentials.');
    expect(wrong.html).toContain(`value="${admin.email}"`);

    await env.DB.prepare('UPDATE users SET email_verified = 0 WHERE id = ?').bind(admin.id).run();
    const unverified = await browser.post('/admin/login', { identifier: admin.email, password: admin.password });
    expect(unverified.status).toBe(403);
    await env.DB.prepare('UPDATE users SET email_verified = 1, is_active = 0 WHERE id = ?').bind(admin.id).run();
    expect((await browser.post('/admin/login', { identifier: admin.email, password: admin.password })).status).toBe(403);
    expect(browser.cookie).toBeNull();
    expect((await browser.post('/admin/login', { identifier: '', password: '' })).status).toBe(400);
  });

  it('shares the lockout with the API: failures in the console lock API logins too', async () => {
    const admin = await signedIn('admin');
    const browser = new ConsoleBrowser();
    for (let i = 0; i < 5; i++) expect((await browser.post('/admin/login', { identifier: admin.email, password: 'wrong-password-1' })).status).toBe(401);
    const locked = await browser.post('/admin/login', { identifier: admin.email, password: admin.password });
    expect(locked.status).toBe(423);
    expect(textOf(locked.html)).toContain('Too many failed attempts. Try again in 5 minute(s).');
    expect((await api('/api/v1/auth/login', { body: { email: admin.email, password: admin.password } })).status).toBe(423);
  });

  it('refuses forms from another origin or without one, even the sign-in form', async () => {
    const admin = await signedIn('admin');
    const browser = new ConsoleBrowser();
    const foreign = await browser.post('/admin/login', { identifier: admin.email, password: admin.password }, { Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const none = await browser.post('/admin/login', { identifier: admin.email, password: admin.password }, { Origin: '' });
    expect(none.status).toBe(403);
    expect(browser.cookie).toBeNull();
  });

  it('accepts Origin: null (a no-referrer page) only with Sec-Fetch-Site: same-origin', async () => {
    const admin = await signedIn('admin');
    const browser = new ConsoleBrowser();
    const form = { identifier: admin.email, password: admin.password };
    expect((await browser.post('/admin/login', form, { Origin: 'null', 'Sec-Fetch-Site': 'cross-site' })).status).toBe(403);
    expect((await browser.post('/admin/login', form, { Origin: 'null' })).status).toBe(403);
    expect((await browser.post('/admin/login', form, { Origin: 'null', 'Sec-Fetch-Site': 'same-origin' })).status).toBe(303);
  });

  it('signs out: the session ends in the Durable Object and the old cookie no longer works', async () => {
    const { staff, browser } = await staffBrowser();
    const oldCookie = browser.cookie;
    const csrf = await browser.csrf();
    // A sign-out without the session's token (a cross-site logout) ends nothing.
    await browser.post('/admin/logout', { csrf: 'forged' });
    browser.cookie = oldCookie;
    expect((await browser.get('/admin/users')).status).toBe(200);
    const out = await browser.post('/admin/logout', { csrf });
    expect(out.status).toBe(303);
    expect(out.location).toBe('/admin/login?signed_out');
    expect(browser.cookie).toBeNull();
    browser.cookie = oldCookie;
    expect((await browser.get('/admin/users')).location).toBe('/admin/login');
    const sessions = await api('/api/v1/auth/sessions', { token: staff.token });
    expect(sessions.body.results).toHaveLength(1);
    const [event] = await auditRows(staff.id, 'logout');
    expect(JSON.parse(event!.metadata)).toMatchObject({ via: 'console' });
  });

  it('ends console access when the account is demoted, or signed out everywhere', async () => {
    const { staff, browser } = await staffBrowser();
    await env.DB.prepare("UPDATE users SET role = 'user' WHERE id = ?").bind(staff.id).run();
    expect((await browser.get('/admin/users')).location).toBe('/admin/login');

    const second = await staffBrowser();
    await api('/api/v1/auth/logout-all', { method: 'POST', token: second.staff.token });
    expect((await second.browser.get('/admin/users')).location).toBe('/admin/login');
  });

  it('ends the console session after 8 hours', async () => {
    const { browser } = await staffBrowser();
    const start = Date.now();
    setClock({ now: () => start + 8 * 3600_000 + 1000 });
    expect((await browser.get('/admin/users')).location).toBe('/admin/login');
  });
});

describe('console pages', () => {
  it('lists, searches and filters users with pagination links', async () => {
    const { browser } = await staffBrowser();
    const m = `cq${crypto.randomUUID().slice(0, 6)}`;
    for (let i = 0; i < 3; i++) await createVerifiedUser({ email: `${m}${i}@example.com`, first_name: 'Pat' });
    const page = await browser.get(`/admin/users?search=${m}&ordering=email&page_size=2`);
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain(`${m}0@example.com`);
    expect(text).toContain(`${m}1@example.com`);
    expect(text).not.toContain(`${m}2@example.com`);
    expect(text).toContain('Page 1 of 2 · 3 in all');
    expect(page.html).toContain(`href="/admin/users?search=${m}&amp;ordering=email&amp;page_size=2&amp;page=2"`);
    const second = await browser.get(`/admin/users?search=${m}&ordering=email&page_size=2&page=2`);
    expect(textOf(second.html)).toContain(`${m}2@example.com`);
    const bad = await browser.get('/admin/users?role=root');
    expect(bad.status).toBe(400);
    expect(textOf(bad.html)).toContain('role:');
  });

  it('shows a user with sessions, lockout, verification state and recent events', async () => {
    const { browser } = await staffBrowser();
    // Registered through the API: the page shows the verification its mail issued.
    const user = await registerVerifiedUser({ first_name: 'Katherine', last_name: 'Johnson' });
    await login(user);
    const page = await browser.get(`/admin/users/${user.id}`);
    expect(page.status).toBe(200);
    const text = textOf(page.html);
    expect(text).toContain(user.email);
    expect(text).toContain('Katherine Johnson');
    expect(text).toContain('Sessions (1)');
    expect(text).toContain('not locked (0 failed in a row)');
    expect(text).toContain('pending; code valid, link valid; 5 tries left');
    expect(text).toContain('Sign-in code none issued');
    expect(text).toContain('login_succeeded');
    expect(text).toContain(`user_registered low 0 ${user.email} self`);
    expect((await browser.get(`/admin/users/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it('shows audit events and failed mail with filters', async () => {
    const { browser } = await staffBrowser();
    const user = await createVerifiedUser();
    await env.DB.prepare(
      'INSERT INTO mail_failures (id, message_id, template, recipient, user_id, error, attempts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    )
      .bind(crypto.randomUUID(), crypto.randomUUID(), 'welcome', user.email, user.id, '550 mailbox unavailable', 6, Date.now())
      .run();
    const audit = await browser.get(`/admin/audit?user=${encodeURIComponent(user.email)}&type=user_registered`);
    expect(audit.status).toBe(200);
    expect(textOf(audit.html)).toContain('user_registered');
    expect(textOf(audit.html)).toContain('1 in all');
    const mail = await browser.get(`/admin/mail?recipient=${encodeURIComponent(user.email)}`);
    expect(textOf(mail.html)).toContain('550 mailbox unavailable');
    expect(textOf(mail.html)).toContain('1 in all');
    expect((await browser.get('/admin/audit?severity=loud')).status).toBe(400);
  });
});

describe('console actions', () => {
  it('locks after a confirmation, through a CSRF-checked form, and records who did it', async () => {
    const { staff, browser } = await staffBrowser();
    const user = await createVerifiedUser();
    const detail = await browser.get(`/admin/users/${user.id}`);
    expect(detail.html).not.toContain('name="csrf" value="" ');
    const confirm = await browser.get(`/admin/users/${user.id}/confirm?action=lock&minutes=15`);
    expect(confirm.status).toBe(200);
    expect(textOf(confirm.html)).toContain(`Block sign-in for ${user.email} for 15 minutes?`);
    const csrf = csrfOf(confirm.html);

    const form = { action: 'lock', minutes: '15' };
    expect((await browser.post(`/admin/users/${user.id}/actions`, form)).status).toBe(403);
    expect((await browser.post(`/admin/users/${user.id}/actions`, { ...form, csrf: 'x'.repeat(43) })).status).toBe(403);
    expect((await browser.post(`/admin/users/${user.id}/actions`, { ...form, csrf }, { Origin: 'https://evil.example' })).status).toBe(403);
    expect((await api('/api/v1/auth/login', { body: { email: user.email, password: user.password } })).status).toBe(200);

    const done = await browser.post(`/admin/users/${user.id}/actions`, { ...form, csrf });
    expect(done.status).toBe(303);
    expect(done.location).toBe(`/admin/users/${user.id}?done=lock`);
    expect((await api('/api/v1/auth/login', { body: { email: user.email, password: user.password } })).status).toBe(423);
    const after = await browser.get(done.location!);
    expect(textOf(after.html)).toContain('Sign-in is locked.');
    const [event] = await auditRows(user.id, 'admin_user_locked');
    expect(event).toMatchObject({ actor_id: staff.id, user_agent: 'ConsoleTest/1.0', ip: browser.ip });

    const unlock = await browser.post(`/admin/users/${user.id}/actions`, { action: 'unlock', csrf });
    expect(unlock.location).toBe(`/admin/users/${user.id}?done=unlock`);
    expect((await api('/api/v1/auth/login', { body: { email: user.email, password: user.password } })).status).toBe(200);
  });

  it('deactivates, changes roles, deletes and restores for an admin', async () => {
    const { browser } = await staffBrowser();
    const user = await signedIn('user');
    const csrf = await browser.csrf();
    const act = (form: Record<string, string>) => browser.post(`/admin/users/${user.id}/actions`, { ...form, csrf });
    expect((await act({ action: 'deactivate' })).status).toBe(303);
    expect((await api('/api/v1/auth/refresh', { body: { refresh: user.refresh } })).status).toBe(401);
    expect((await act({ action: 'activate' })).status).toBe(303);
    expect((await act({ action: 'change_role', role: 'manager' })).status).toBe(303);
    expect((await act({ action: 'change_role', role: 'root' })).status).toBe(400);
    expect((await act({ action: 'delete' })).status).toBe(303);
    const deleted = await browser.get(`/admin/users/${user.id}`);
    expect(textOf(deleted.html)).toContain('deleted');
    expect(deleted.html).toContain(`/admin/users/${user.id}/confirm?action=restore`);
    expect((await act({ action: 'restore' })).status).toBe(303);
    const row = await env.DB.prepare('SELECT role, is_active, deleted_at FROM users WHERE id = ?').bind(user.id).first();
    expect(row).toEqual({ role: 'manager', is_active: 1, deleted_at: null });
    expect((await act({ action: 'launch_missiles' })).status).toBe(404);
  });

  it('gives a manager only the manager actions: others are neither offered nor accepted', async () => {
    const { browser } = await staffBrowser('manager');
    const user = await createVerifiedUser();
    const page = await browser.get(`/admin/users/${user.id}`);
    expect(page.html).toContain('action=deactivate');
    expect(page.html).toContain('value="lock"');
    for (const hidden of ['action=delete', 'value="change_role"', 'action=revoke_sessions', 'action=verify_email']) expect(page.html).not.toContain(hidden);
    expect((await browser.get(`/admin/users/${user.id}/confirm?action=delete`)).status).toBe(403);
    const csrf = csrfOf(page.html);
    for (const form of [{ action: 'delete' }, { action: 'change_role', role: 'admin' }, { action: 'revoke_sessions' }] as Record<string, string>[]) {
      expect((await browser.post(`/admin/users/${user.id}/actions`, { ...form, csrf })).status).toBe(403);
    }
    expect((await browser.post(`/admin/users/${user.id}/actions`, { action: 'deactivate', csrf })).status).toBe(303);
    const row = await env.DB.prepare('SELECT role, is_active, deleted_at FROM users WHERE id = ?').bind(user.id).first();
    expect(row).toEqual({ role: 'user', is_active: 0, deleted_at: null });
  });

  it('binds the CSRF token to the session: another session\'s token is refused', async () => {
    const a = await staffBrowser();
    const b = await staffBrowser();
    const user = await createVerifiedUser();
    const tokenOfA = await a.browser.csrf();
    const res = await b.browser.post(`/admin/users/${user.id}/actions`, { action: 'deactivate', csrf: tokenOfA });
    expect(res.status).toBe(403);
    expect(textOf(res.html)).toContain('The form has expired');
  });
});
