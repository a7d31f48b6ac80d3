import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { api, randomIp, registration } from './helpers/api';
import { extractCode, waitForMail } from './helpers/mail';
import { adminApi } from './admin.fixtures';
import { textOf } from './console.fixtures';
import { staffBrowser } from './console-jobs.fixtures';
import { setClock } from '../src/clock';

const NEW_PASSWORD = 'Quartz-Heron-Lantern-57';

describe('console: password-change history', () => {
  it('lists when and from which IP each password was set, and how, newest first, in UTC; never a hash', async () => {
    const { browser, staff } = await staffBrowser();
    const [ipRegister, ipChange] = [randomIp(), randomIp()];
    const body = registration();
    // A minute ago, at 9 s past the minute: the page shows minutes, the element the exact time.
    const at = Math.floor((Date.now() - 60_000) / 60_000) * 60_000 + 9_000;
    const iso = new Date(at).toISOString();
    const shown = `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
    setClock({ now: () => at });
    const reg = await api('/api/v1/auth/register', { body, ip: ipRegister });
    setClock(null);
    const id = reg.body.user.id as string;
    const code = extractCode((await waitForMail(body.email, { subject: /Verify/ })).text);
    await api('/api/v1/auth/verify-email', { body: { email: body.email, code } });
    const login = await api('/api/v1/auth/login', { body: { email: body.email, password: body.password } });
    const changed = await api('/api/v1/auth/password/change', { token: login.body.access, ip: ipChange, body: { current_password: body.password, new_password: NEW_PASSWORD } });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);

    expect((await browser.get(`/admin/users/${id}`)).html).toContain(`href="/admin/users/${id}/password-history"`);
    const page = await browser.get(`/admin/users/${id}/password-history`);
    expect(page.status).toBe(200);
    const rows = [...page.html.matchAll(/<tr>(.*?)<\/tr>/gs)].slice(1).map((m) => textOf(m[1]!).trim());
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain(ipChange);
    expect(rows[0]).toContain('changed by the user');
    expect(rows[1]).toBe(`${shown} ${ipRegister} registration`);
    expect(shown).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    expect(page.html).toContain(`<time datetime="${iso}">${shown}</time>`);
    const hashes = await env.DB.prepare('SELECT password_hash FROM password_history WHERE user_id = ?').bind(id).all<{ password_hash: string }>();
    for (const { password_hash } of hashes.results) {
      expect(page.html).not.toContain(password_hash);
      expect(page.html).not.toContain(password_hash.split('$').at(-1)!);
    }

    const answer = await adminApi(staff, `/users/${id}/password-history`);
    expect(answer.body.results).toHaveLength(2);
    expect(answer.body.results[1]).toEqual({ changed_at: iso, ip: ipRegister, via: 'registration' });
    expect(JSON.stringify(answer.body)).not.toMatch(/hash|scrypt/);
  });

  it('is there for managers (read-only, like the user page), and 404 for an unknown account', async () => {
    const { browser } = await staffBrowser('manager');
    const { staff } = await staffBrowser();
    expect((await browser.get(`/admin/users/${staff.id}/password-history`)).status).toBe(200);
    expect((await browser.get(`/admin/users/${crypto.randomUUID()}/password-history`)).status).toBe(404);
  });
});
