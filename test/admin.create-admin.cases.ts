import { beforeAll, describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import { api, registration, STRONG_PASSWORD, uniqueEmail } from './helpers/api';
import { hashPassword } from '../src/password/hashing';
import { adminGrantSql, checkAdminInput as checkWith, findUserSql, sqlText, type ExistingUser } from '../scripts/create-admin.sql';
import { commonPasswords, type CommonPasswords } from '../src/password/hashing/common-passwords';
import { createLogger } from '../src/http/log';

// The script reads public/data/ from disk; here the same file comes through ASSETS.
let common: CommonPasswords;
beforeAll(async () => {
  common = await commonPasswords(env.ASSETS, createLogger());
});
const checkAdminInput = (input: { email: string; password: string }) => checkWith(input, common);

/** What the script does, with the Worker's D1 in place of `wrangler d1 execute`. */
async function grant(email: string, password: string) {
  const checked = checkAdminInput({ email, password });
  expect(checked.problems).toEqual([]);
  const existing = await env.DB.prepare(findUserSql(checked.email)).first<ExistingUser>();
  const statements = adminGrantSql({
    email: checked.email,
    passwordHash: await hashPassword(password),
    existing,
    newId: crypto.randomUUID(),
    eventId: crypto.randomUUID(),
    now: Date.now(),
  });
  await env.DB.batch(statements.map((sql) => env.DB.prepare(sql)));
  return checked.email;
}

const signIn = (email: string, password: string) => api('/api/v1/auth/login', { body: { email, password } });

describe('create-admin', () => {
  it('refuses what registration refuses: a bad address, a common, short or too similar password', () => {
    expect(checkAdminInput({ email: 'not-an-email', password: STRONG_PASSWORD }).problems).toEqual(['email: Enter a valid email address.']);
    expect(checkAdminInput({ email: 'a@example.com', password: 'password' }).problems).toContain('password: This password is too common.');
    expect(checkAdminInput({ email: 'a@example.com', password: 'Xy7!' }).problems).toContain(
      'password: This password is too short. It must contain at least 8 characters.',
    );
    expect(checkAdminInput({ email: 'margaret.hamilton@example.com', password: 'margaret.hamilton' }).problems).toContain(
      'password: The password is too similar to the email.',
    );
    expect(checkAdminInput({ email: ' Ada@Example.COM ', password: STRONG_PASSWORD })).toEqual({ email: 'ada@example.com', problems: [] });
  });

  it('creates a verified, active admin whose password the Worker verifies', async () => {
    const email = await grant(uniqueEmail('root').toUpperCase(), STRONG_PASSWORD);
    const res = await signIn(email, STRONG_PASSWORD);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.user).toMatchObject({ email, role: 'admin', email_verified: true, is_active: true });
    const me = await api('/api/v1/auth/me', { token: res.body.access });
    expect(me.body.profile).toMatchObject({ bio: '' });
    expect((await api('/api/v1/admin/users', { token: res.body.access })).status).toBe(200);
    const event = await env.DB.prepare("SELECT * FROM audit_events WHERE type = 'admin_granted_cli' AND user_id = ?").bind(res.body.user.id).first<Record<string, string>>();
    expect(event).toMatchObject({ severity: 'high', actor_id: null });
    expect(JSON.parse(event!.metadata!)).toEqual({ created: true });
  });

  it('promotes an existing account, even unverified or soft-deleted, and sets the new password', async () => {
    const body = registration();
    const reg = await api('/api/v1/auth/register', { body });
    await env.DB.prepare('UPDATE users SET deleted_at = ? WHERE id = ?').bind(Date.now(), reg.body.user.id).run();
    const newPassword = 'Quartz-Heron-Lantern-57';
    await grant(body.email, newPassword);
    expect((await signIn(body.email, body.password)).status).toBe(401);
    const res = await signIn(body.email, newPassword);
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ id: reg.body.user.id, role: 'admin', email_verified: true });
    const count = await env.DB.prepare('SELECT count(*) AS n FROM users WHERE email = ?').bind(body.email).first<{ n: number }>();
    expect(count!.n).toBe(1);
    const event = await env.DB.prepare("SELECT metadata FROM audit_events WHERE type = 'admin_granted_cli' AND user_id = ?").bind(reg.body.user.id).first<{ metadata: string }>();
    expect(JSON.parse(event!.metadata)).toEqual({ created: false, previous_role: 'user', restored: true });
  });

  it('quotes every value as an SQL string literal', () => {
    expect(sqlText("o'brien")).toBe("'o''brien'");
    expect(findUserSql("x' OR 1=1 --")).toBe("SELECT id, role, deleted_at FROM users WHERE email = 'x'' OR 1=1 --';");
  });
});
