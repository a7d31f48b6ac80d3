import { describe, expect, it } from 'vitest';
import { api, STRONG_PASSWORD } from './helpers/api';
import { extractCode, waitForMail } from './helpers/mail';
import { createVerifiedUser } from './helpers/users';
import { adminApi, auditRows } from './admin.fixtures';
import { csrfOf, textOf } from './console.fixtures';
import { countUsersWithEmail, staffBrowser, uniqueTag, userRow } from './console-jobs.fixtures';

describe('console: create an account', () => {
  it('goes form → confirmation → POST; the account exists unverified, gets its verification mail, and the creation is audited', async () => {
    const { staff, browser } = await staffBrowser();
    const tag = uniqueTag();
    const email = `${tag}@example.com`;
    const form = await browser.get('/admin/users/new');
    expect(form.status).toBe(200);
    expect(form.html).toContain('action="/admin/users/new/confirm"');
    expect((await browser.get('/admin/users')).html).toContain('href="/admin/users/new"');

    const query = new URLSearchParams({ email: ` ${email.toUpperCase()} `, username: tag, phone_number: '+1 (415) 555-0' + String(Math.floor(100 + Math.random() * 899)), first_name: 'Ada', last_name: 'Byron' });
    const confirm = await browser.get(`/admin/users/new/confirm?${query}`);
    expect(confirm.status).toBe(200);
    expect(textOf(confirm.html)).toContain(`Create an account for ${email} (Ada Byron), username ${tag}`);
    expect(await countUsersWithEmail(email)).toBe(0);

    const fields = Object.fromEntries(query);
    const done = await browser.post('/admin/users/new', { ...fields, csrf: csrfOf(confirm.html) });
    expect(done.status).toBe(303);
    const id = /\/admin\/users\/([0-9a-f-]{36})\?done=created$/.exec(done.location ?? '')?.[1];
    expect(id).toBeTruthy();
    expect(textOf((await browser.get(done.location!)).html)).toContain('The account is created and a verification mail is on its way.');
    expect(await userRow(id!)).toMatchObject({ email, username: tag, email_verified: 0, is_active: 1 });

    // The mail is the registration's: its code verifies the address through the public API.
    const mail = await waitForMail(email, { subject: /Verify/ });
    expect((await api('/api/v1/auth/verify-email', { body: { email, code: extractCode(mail.text) } })).status).toBe(200);
    const [event] = await auditRows(id!, 'admin_user_created');
    expect(event).toMatchObject({ actor_id: staff.id, severity: 'medium', ip: browser.ip, user_agent: 'ConsoleTest/1.0' });
    expect(JSON.parse(event!.metadata)).toEqual({ username: true, phone_number: true, actor_role: 'admin' });
    // Nobody knows its password: not even a strong guess signs in.
    expect((await api('/api/v1/auth/login', { body: { email, password: STRONG_PASSWORD } })).status).toBe(401);
  });

  it('shows bad input on the form (400) and creates nothing', async () => {
    const { browser } = await staffBrowser();
    const tag = uniqueTag();
    const bad = await browser.get(`/admin/users/new/confirm?email=not-an-address&username=${tag}`);
    expect(bad.status).toBe(400);
    const text = textOf(bad.html);
    expect(text).toContain('Please correct the fields marked below.');
    expect(text).toContain('Enter a valid email address.');
    expect(bad.html).toContain(`value="${tag}"`);
    expect(bad.html).toContain('action="/admin/users/new/confirm"');
    const phone = await browser.get(`/admin/users/new/confirm?email=${tag}@example.com&phone_number=12`);
    expect(phone.status).toBe(400);
    expect(textOf(phone.html)).toContain('Enter a valid phone number in international format');
    const username = await browser.get(`/admin/users/new/confirm?email=${tag}@example.com&username=a%20b`);
    expect(textOf(username.html)).toContain('Enter a valid username');
    // The same answer at the POST, when the confirmation page was skipped.
    const csrf = await browser.csrf();
    const posted = await browser.post('/admin/users/new', { email: `${tag}@example.com`, phone_number: '12', csrf });
    expect(posted.status).toBe(400);
    expect(textOf(posted.html)).toContain('Enter a valid phone number');
    expect(await countUsersWithEmail(`${tag}@example.com`)).toBe(0);
  });

  it('answers a taken email, username or phone as registration does (409), on the form, and creates nothing', async () => {
    const { browser } = await staffBrowser();
    const tag = uniqueTag();
    const other = await createVerifiedUser({ username: tag, phone_number: `+4420794${Math.floor(10000 + Math.random() * 89999)}` });
    const email = `${tag}@example.com`;
    const takenEmail = await browser.get(`/admin/users/new/confirm?email=${encodeURIComponent(other.email)}`);
    expect(takenEmail.status).toBe(409);
    expect(textOf(takenEmail.html)).toContain('An account with this email already exists.');
    const takenName = await browser.get(`/admin/users/new/confirm?email=${email}&username=${tag.toUpperCase()}`);
    expect([takenName.status, textOf(takenName.html).includes('This username is taken.')]).toEqual([409, true]);
    const csrf = await browser.csrf();
    const takenPhone = await browser.post('/admin/users/new', { email, phone_number: other.phone_number!, csrf });
    expect(takenPhone.status).toBe(409);
    expect(textOf(takenPhone.html)).toContain('This phone number is taken.');
    expect(takenPhone.html).toContain(`value="${email}"`);
    expect(await countUsersWithEmail(email)).toBe(0);
  });

  it('refuses without the CSRF token, and refuses managers (creating accounts is the admins\', as in the API)', async () => {
    const { browser } = await staffBrowser();
    const email = `${uniqueTag()}@example.com`;
    expect((await browser.post('/admin/users/new', { email })).status).toBe(403);
    expect((await browser.post('/admin/users/new', { email, csrf: 'x'.repeat(43) })).status).toBe(403);
    expect(await countUsersWithEmail(email)).toBe(0);

    const manager = await staffBrowser('manager');
    expect((await manager.browser.get('/admin/users')).html).not.toContain('href="/admin/users/new"');
    expect((await manager.browser.get('/admin/users/new')).status).toBe(403);
    expect((await manager.browser.get(`/admin/users/new/confirm?email=${email}`)).status).toBe(403);
    expect((await manager.browser.post('/admin/users/new', { email, csrf: await manager.browser.csrf() })).status).toBe(403);
    expect((await adminApi(manager.staff, '/users', { body: { email } })).status).toBe(403);
    expect(await countUsersWithEmail(email)).toBe(0);
  });

  it('is the admin API\'s POST /admin/users too: 201 with the account, 409 when taken, 400 for unknown fields', async () => {
    const { staff } = await staffBrowser();
    const email = `${uniqueTag()}@example.com`;
    const created = await adminApi(staff, '/users', { body: { email, first_name: 'Grace' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email, first_name: 'Grace', role: 'user', email_verified: false });
    expect(created.body).not.toHaveProperty('password_hash');
    expect((await adminApi(staff, '/users', { body: { email } })).body.error.code).toBe('email_taken');
    expect((await adminApi(staff, '/users', { body: { email: `x${email}`, role: 'admin' } })).status).toBe(400);
    await waitForMail(email, { subject: /Verify/ });
  });
});
