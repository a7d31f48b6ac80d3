import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { api } from './helpers/api';
import { createVerifiedUser, type TestUser } from './helpers/users';
import { auditRows, setRole, signedIn } from './admin.fixtures';
import { csrfOf, textOf } from './console.fixtures';
import { staffBrowser, userRow } from './console-jobs.fixtures';

const loginStatus = async (u: TestUser) => (await api('/api/v1/auth/login', { body: { email: u.email, password: u.password } })).status;
const idsQuery = (users: { id: string }[]) => users.map((u) => `ids=${u.id}`).join('&');

describe('console: bulk actions on selected users', () => {
  it('locks the selected accounts after one confirmation that names them all; each lock is audited on its own', async () => {
    const { staff, browser } = await staffBrowser();
    const users = await Promise.all([createVerifiedUser(), createVerifiedUser(), createVerifiedUser()]);
    const list = await browser.get('/admin/users');
    expect(list.html).toContain('<form id="bulk" class="bulk" method="get" action="/admin/users/bulk/confirm">');
    expect(list.html).toMatch(/<input type="checkbox" name="ids" value="[0-9a-f-]{36}" form="bulk"/);

    const confirm = await browser.get(`/admin/users/bulk/confirm?action=lock&minutes=15&reason=spam+wave&${idsQuery(users)}&ids=${users[0]!.id}`);
    expect(confirm.status).toBe(200);
    const text = textOf(confirm.html);
    expect(text).toContain('Lock sign-in: 3 accounts');
    expect(text).toContain('Sign-in is blocked for 15 minutes (reason: spam wave).');
    for (const u of users) expect(text).toContain(u.email);
    for (const u of users) expect(await loginStatus(u)).toBe(200);

    const form = { action: 'lock', minutes: '15', reason: 'spam wave', ids: users.map((u) => u.id).join(',') };
    const done = await browser.post('/admin/users/bulk', { ...form, csrf: csrfOf(confirm.html) });
    expect(done.status).toBe(200);
    expect(textOf(done.html)).toContain('3 of 3 done.');
    for (const u of users) {
      expect(await loginStatus(u)).toBe(423);
      const events = await auditRows(u.id, 'admin_user_locked');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ actor_id: staff.id, ip: browser.ip });
      expect(JSON.parse(events[0]!.metadata)).toMatchObject({ minutes: 15, reason: 'spam wave' });
    }

    const unlocked = await browser.post('/admin/users/bulk', { action: 'unlock', ids: form.ids, csrf: csrfOf(confirm.html) });
    expect(textOf(unlocked.html)).toContain('3 of 3 done.');
    for (const u of users) expect(await loginStatus(u)).toBe(200);
    for (const u of users) expect(await auditRows(u.id, 'account_unlocked')).toHaveLength(1);
  });

  it('deactivates and signs out in bulk', async () => {
    const { browser } = await staffBrowser();
    const users = await Promise.all([signedIn('user'), signedIn('user')]);
    const csrf = await browser.csrf();
    const ids = users.map((u) => u.id).join(',');
    expect(textOf((await browser.post('/admin/users/bulk', { action: 'revoke_sessions', ids, csrf })).html)).toContain('2 of 2 done.');
    for (const u of users) expect((await api('/api/v1/auth/refresh', { body: { refresh: u.refresh } })).status).toBe(401);
    for (const u of users) expect(await auditRows(u.id, 'admin_sessions_revoked')).toHaveLength(1);
    expect(textOf((await browser.post('/admin/users/bulk', { action: 'deactivate', ids, csrf })).html)).toContain('2 of 2 done.');
    for (const u of users) expect((await userRow(u.id))!.is_active).toBe(0);
    for (const u of users) expect(await auditRows(u.id, 'admin_user_deactivated')).toHaveLength(1);
  });

  it('bounds the selection: none or more than 50 is refused and nothing happens', async () => {
    const { browser } = await staffBrowser();
    const user = await createVerifiedUser();
    const none = await browser.get('/admin/users/bulk/confirm?action=lock&minutes=60');
    expect(none.status).toBe(400);
    expect(textOf(none.html)).toContain('Select at least one account.');
    const many = [user.id, ...Array.from({ length: 50 }, () => crypto.randomUUID())];
    const tooMany = await browser.get(`/admin/users/bulk/confirm?action=lock&minutes=60&${many.map((id) => `ids=${id}`).join('&')}`);
    expect(tooMany.status).toBe(400);
    expect(textOf(tooMany.html)).toContain('Select at most 50 accounts at once (51 were selected).');
    const posted = await browser.post('/admin/users/bulk', { action: 'lock', minutes: '60', ids: many.join(','), csrf: await browser.csrf() });
    expect(posted.status).toBe(400);
    expect(await loginStatus(user)).toBe(200);
    expect(await auditRows(user.id, 'admin_user_locked')).toEqual([]);
  });

  it('refuses without the CSRF token, an unknown action, and a lock length not on offer', async () => {
    const { browser } = await staffBrowser();
    const user = await createVerifiedUser();
    expect((await browser.post('/admin/users/bulk', { action: 'lock', minutes: '60', ids: user.id })).status).toBe(403);
    const csrf = await browser.csrf();
    expect((await browser.post('/admin/users/bulk', { action: 'delete', ids: user.id, csrf })).status).toBe(404);
    expect((await browser.get(`/admin/users/bulk/confirm?action=delete&ids=${user.id}`)).status).toBe(404);
    expect((await browser.post('/admin/users/bulk', { action: 'lock', minutes: '7', ids: user.id, csrf })).status).toBe(400);
    expect(await loginStatus(user)).toBe(200);
    expect((await userRow(user.id))!.is_active).toBe(1);
  });

  it('a manager locks plain users; a staff account among them and their own are refused one by one, the rest still locked', async () => {
    const { staff, browser } = await staffBrowser('manager');
    const [plain, admin] = await Promise.all([createVerifiedUser(), createVerifiedUser()]);
    await setRole(admin.id, 'admin');
    const confirm = await browser.get(`/admin/users/bulk/confirm?action=lock&minutes=60&${idsQuery([plain, admin, staff])}`);
    expect(textOf(confirm.html)).toContain('admin');
    const done = await browser.post('/admin/users/bulk', { action: 'lock', minutes: '60', ids: [plain.id, admin.id, staff.id].join(','), csrf: csrfOf(confirm.html) });
    const text = textOf(done.html);
    expect(text).toContain('1 of 3 done.');
    expect(text).toContain('Managers can act only on accounts with the user role.');
    expect(text).toContain('Skipped: your own account.');
    expect(await loginStatus(plain)).toBe(423);
    expect(await loginStatus(admin)).toBe(200);
    expect(await auditRows(admin.id, 'admin_user_locked')).toEqual([]);
    // Signing people out is the admins' (as in the API): not offered, not accepted.
    expect((await browser.get('/admin/users')).html).not.toContain('value="revoke_sessions"');
    expect((await browser.get(`/admin/users/bulk/confirm?action=revoke_sessions&ids=${plain.id}`)).status).toBe(403);
    expect((await browser.post('/admin/users/bulk', { action: 'revoke_sessions', ids: plain.id, csrf: csrfOf(confirm.html) })).status).toBe(403);
  });
});

describe('console: the users list', () => {
  it('sorts by whitelisted columns with links that flip the direction, in a stable order; refuses other keys', async () => {
    const { browser } = await staffBrowser();
    const tag = `srt${crypto.randomUUID().slice(0, 6)}`;
    const users = [];
    for (const name of ['b', 'c', 'a']) users.push(await createVerifiedUser({ email: `${tag}${name}@example.com`, username: `${tag}_${name === 'a' ? 'z' : name}` }));
    await setRole(users[1]!.id, 'manager');
    const emails = async (query: string) => [...(await browser.get(`/admin/users?search=${tag}&${query}`)).html.matchAll(new RegExp(`>(${tag}[a-c])@example.com<`, 'g'))].map((m) => m[1]!.slice(-1));
    expect(await emails('ordering=email')).toEqual(['a', 'b', 'c']);
    expect(await emails('ordering=-email')).toEqual(['c', 'b', 'a']);
    expect(await emails('ordering=username')).toEqual(['b', 'c', 'a']);
    expect(await emails('ordering=-username')).toEqual(['a', 'c', 'b']);
    expect((await emails('ordering=role'))[0]).toBe('c');
    expect(await emails('ordering=date_joined')).toEqual(['b', 'c', 'a']);

    const page = await browser.get(`/admin/users?search=${tag}&ordering=email`);
    expect(page.html).toContain(`<th aria-sort="ascending"><a class="sort active" href="/admin/users?search=${tag}&amp;ordering=-email">Email ▲</a></th>`);
    expect(page.html).toContain(`href="/admin/users?search=${tag}&amp;ordering=-date_joined">Joined</a>`);
    expect((await browser.get('/admin/users?ordering=password_hash')).status).toBe(400);
  });

  it('filters by two-factor, and shows times in UTC in <time> elements', async () => {
    const { browser } = await staffBrowser();
    const tag = `mfa${crypto.randomUUID().slice(0, 6)}`;
    const [on, off] = [await createVerifiedUser({ email: `${tag}on@example.com` }), await createVerifiedUser({ email: `${tag}off@example.com` })];
    await env.DB.prepare('UPDATE users SET mfa_enabled = 1 WHERE id = ?').bind(on.id).run();
    const enabled = textOf((await browser.get(`/admin/users?search=${tag}&mfa_enabled=true`)).html);
    expect(enabled).toContain(on.email);
    expect(enabled).not.toContain(off.email);
    const disabled = await browser.get(`/admin/users?search=${tag}&mfa_enabled=false`);
    expect(textOf(disabled.html)).toContain(off.email);
    expect(textOf(disabled.html)).not.toContain(on.email);
    expect(disabled.html).toMatch(/<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z">\d{4}-\d\d-\d\d \d\d:\d\d UTC<\/time>/);
    expect((await browser.get('/admin/users?mfa_enabled=maybe')).status).toBe(400);
  });
});
