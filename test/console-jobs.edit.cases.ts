import { describe, expect, it } from 'vitest';
import { api } from './helpers/api';
import { extractCode, waitForMail } from './helpers/mail';
import { createVerifiedUser } from './helpers/users';
import { adminApi, auditRows } from './admin.fixtures';
import { csrfOf, textOf } from './console.fixtures';
import { staffBrowser, uniqueTag, userRow } from './console-jobs.fixtures';

const phoneNumber = () => `+4420794${Math.floor(10000 + Math.random() * 89999)}`;

describe('console: edit email, username and phone', () => {
  it('shows the current values, confirms the changes, saves them normalized and audits the fields', async () => {
    const { staff, browser } = await staffBrowser();
    const user = await createVerifiedUser({ username: uniqueTag() });
    const detail = await browser.get(`/admin/users/${user.id}`);
    expect(detail.html).toContain(`href="/admin/users/${user.id}/edit"`);
    const form = await browser.get(`/admin/users/${user.id}/edit`);
    expect(form.status).toBe(200);
    expect(form.html).toContain(`value="${user.email}"`);
    expect(form.html).toContain(`value="${user.username}"`);

    const username = `${uniqueTag()}.New`;
    const phone = phoneNumber();
    const spaced = `${phone.slice(0, 3)} (${phone.slice(3, 5)}) ${phone.slice(5)}`;
    const values = { email: user.email, username, phone_number: spaced };
    const confirm = await browser.get(`/admin/users/${user.id}/edit/confirm?${new URLSearchParams(values)}`);
    expect(confirm.status).toBe(200);
    const question = textOf(confirm.html);
    expect(question).toContain(`Username: ${user.username} → ${username}.`);
    expect(question).toContain(`Phone: (none) → ${phone}.`);
    expect(question).not.toContain('Email:');
    expect((await userRow(user.id))!.username).toBe(user.username);

    const done = await browser.post(`/admin/users/${user.id}/edit`, { ...values, csrf: csrfOf(confirm.html) });
    expect([done.status, done.location]).toEqual([303, `/admin/users/${user.id}?done=edited`]);
    expect(textOf((await browser.get(done.location!)).html)).toContain('The account is changed.');
    expect(await userRow(user.id)).toMatchObject({ username, username_key: username.toLowerCase(), phone_number: phone, email_verified: 1 });
    const [event] = await auditRows(user.id, 'admin_user_updated');
    expect(event).toMatchObject({ actor_id: staff.id, ip: browser.ip });
    expect(JSON.parse(event!.metadata)).toEqual({ fields: ['username', 'phone_number'], actor_role: 'admin' });
    // The new username signs in.
    expect((await api('/api/v1/auth/login', { body: { username: username.toUpperCase(), password: user.password } })).status).toBe(200);

    // Emptying a field clears it.
    const cleared = await browser.post(`/admin/users/${user.id}/edit`, { email: user.email, username: '', phone_number: '', csrf: csrfOf(confirm.html) });
    expect(cleared.status).toBe(303);
    expect(await userRow(user.id)).toMatchObject({ username: null, username_key: null, phone_number: null });
  });

  it('a new email address is unverified until its owner proves it: the code goes to the new address', async () => {
    const { browser } = await staffBrowser();
    const user = await createVerifiedUser();
    const email = `${uniqueTag()}@example.com`;
    const confirm = await browser.get(`/admin/users/${user.id}/edit/confirm?email=${encodeURIComponent(email.toUpperCase())}&username=&phone_number=`);
    expect(textOf(confirm.html)).toContain(`Email: ${user.email} → ${email}. The new address must be verified again`);
    const done = await browser.post(`/admin/users/${user.id}/edit`, { email, username: '', phone_number: '', csrf: csrfOf(confirm.html) });
    expect(done.status).toBe(303);
    expect(await userRow(user.id)).toMatchObject({ email, email_verified: 0 });
    const [event] = await auditRows(user.id, 'admin_user_updated');
    expect(JSON.parse(event!.metadata)).toMatchObject({ fields: ['email', 'email_verified'], email_verified: false });
    const mail = await waitForMail(email, { subject: /Verify/ });
    expect((await api('/api/v1/auth/verify-email', { body: { email, code: extractCode(mail.text) } })).status).toBe(200);
    expect((await api('/api/v1/auth/login', { body: { email, password: user.password } })).status).toBe(200);
  });

  it('answers taken and invalid values as PATCH /me and registration do, on the form, and changes nothing', async () => {
    const { browser } = await staffBrowser();
    const other = await createVerifiedUser({ username: uniqueTag(), phone_number: phoneNumber() });
    const user = await createVerifiedUser({ username: uniqueTag() });
    const before = await userRow(user.id);
    const csrf = await browser.csrf();
    const edit = (values: Record<string, string>) => browser.post(`/admin/users/${user.id}/edit`, { email: user.email, username: user.username!, phone_number: '', ...values, csrf });

    const takenName = await edit({ username: other.username!.toUpperCase() });
    expect(takenName.status).toBe(409);
    expect(textOf(takenName.html)).toContain('This username is taken.');
    expect(takenName.html).toContain(`value="${other.username!.toUpperCase()}"`);
    expect([(await edit({ phone_number: other.phone_number! })).status, (await edit({ email: other.email })).status]).toEqual([409, 409]);
    const badPhone = await edit({ phone_number: '555' });
    expect(badPhone.status).toBe(400);
    expect(textOf(badPhone.html)).toContain('Enter a valid phone number in international format, e.g. +14155550123.');
    const badName = await browser.get(`/admin/users/${user.id}/edit/confirm?email=${encodeURIComponent(user.email)}&username=no%20spaces`);
    expect(badName.status).toBe(400);
    expect(textOf(badName.html)).toContain('Enter a valid username: letters, numbers and @/./+/-/_ only.');
    const badEmail = await browser.get(`/admin/users/${user.id}/edit/confirm?email=nope&username=`);
    expect(textOf(badEmail.html)).toContain('Enter a valid email address.');
    const unchanged = await browser.get(`/admin/users/${user.id}/edit/confirm?email=${encodeURIComponent(user.email)}&username=${user.username}`);
    expect(unchanged.status).toBe(400);
    expect(textOf(unchanged.html)).toContain('Nothing is changed: edit a field first.');
    expect(await userRow(user.id)).toEqual(before);
    expect(await auditRows(user.id, 'admin_user_updated')).toEqual([]);
  });

  it('refuses without the CSRF token and refuses managers, like PATCH /admin/users/:id', async () => {
    const { browser } = await staffBrowser();
    const user = await createVerifiedUser({ username: uniqueTag() });
    const values = { email: user.email, username: uniqueTag(), phone_number: '' };
    expect((await browser.post(`/admin/users/${user.id}/edit`, values)).status).toBe(403);
    const manager = await staffBrowser('manager');
    expect((await manager.browser.get(`/admin/users/${user.id}`)).html).not.toContain(`/admin/users/${user.id}/edit`);
    expect((await manager.browser.get(`/admin/users/${user.id}/edit`)).status).toBe(403);
    expect((await manager.browser.get(`/admin/users/${user.id}/edit/confirm?${new URLSearchParams(values)}`)).status).toBe(403);
    expect((await manager.browser.post(`/admin/users/${user.id}/edit`, { ...values, csrf: await manager.browser.csrf() })).status).toBe(403);
    expect((await adminApi(manager.staff, `/users/${user.id}`, { method: 'PATCH', body: { username: values.username } })).status).toBe(403);
    expect((await userRow(user.id))!.username).toBe(user.username);
  });

  it('the admin API takes the same fields with the same answers', async () => {
    const { staff } = await staffBrowser();
    const other = await createVerifiedUser({ username: uniqueTag() });
    const user = await createVerifiedUser();
    const taken = await adminApi(staff, `/users/${user.id}`, { method: 'PATCH', body: { username: other.username } });
    expect([taken.status, taken.body.error.code]).toEqual([409, 'username_taken']);
    const bad = await adminApi(staff, `/users/${user.id}`, { method: 'PATCH', body: { phone_number: 'x' } });
    expect(bad.body.error.fields).toEqual({ phone_number: ['Enter a valid phone number in international format, e.g. +14155550123.'] });
    const phone = phoneNumber();
    const ok = await adminApi(staff, `/users/${user.id}`, { method: 'PATCH', body: { phone_number: phone } });
    expect([ok.status, ok.body.phone_number]).toEqual([200, phone]);
  });

  it('of parallel edits taking the same username, exactly one wins; the others get 409', async () => {
    const { browser } = await staffBrowser();
    const users = await Promise.all([createVerifiedUser(), createVerifiedUser(), createVerifiedUser()]);
    const csrf = await browser.csrf();
    const wanted = uniqueTag();
    const answers = await Promise.all(users.map((u) => browser.post(`/admin/users/${u.id}/edit`, { email: u.email, username: wanted, phone_number: '', csrf })));
    expect(answers.map((a) => a.status).sort()).toEqual([303, 409, 409]);
    const owners = await Promise.all(users.map((u) => userRow(u.id)));
    expect(owners.filter((o) => o!.username === wanted)).toHaveLength(1);
  });
});
