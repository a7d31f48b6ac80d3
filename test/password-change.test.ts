import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it } from 'vitest';
import { setClock } from '../src/clock';
import { makeDjangoPbkdf2Hash } from '../src/password/hashing';
import { api } from './helpers/api';
import { createVerifiedUser, login } from './helpers/users';
import { waitForMail } from './helpers/mail';
import { CHANGED_MAIL } from './otp.helpers';

afterEach(() => setClock(null));

const WRONG = 'Definitely-Wrong-77';
const change = (token: string, current_password: string, new_password: string) =>
  api('/api/v1/auth/password/change', { token, body: { current_password, new_password } });
const passwordLogin = (email: string, password: string) => api('/api/v1/auth/login', { body: { email, password } });
const refresh = (token: string) => api('/api/v1/auth/refresh', { body: { refresh: token } });
const countRows = async (sql: string, ...binds: unknown[]) =>
  (await env.DB.prepare(sql).bind(...binds).first<{ n: number }>())!.n;

describe('POST /api/v1/auth/password/change', () => {
  it('changes the password, keeps the current session, revokes the others, mails and records it', async () => {
    const now = Date.now();
    setClock({ now: () => now });
    const user = await createVerifiedUser();
    const [current, other, third] = [await login(user), await login(user), await login(user)];
    const res = await change(current.access, user.password, 'Amber-Falcon-Meadow-31');
    expect([res.status, Object.keys(res.body)]).toEqual([200, ['message']]);

    expect((await passwordLogin(user.email, user.password)).status).toBe(401);
    expect((await passwordLogin(user.email, 'Amber-Falcon-Meadow-31')).status).toBe(200);
    expect((await refresh(current.refresh)).status).toBe(200);
    for (const dead of [other, third]) expect((await refresh(dead.refresh)).status).toBe(401);
    const sessions = await api('/api/v1/auth/sessions', { token: current.access });
    // The kept session, and the one the login above just opened.
    expect(sessions.body.results.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    expect(sessions.body.results).toHaveLength(2);

    const row = await env.DB.prepare('SELECT password_changed_at FROM users WHERE id = ?').bind(user.id).first();
    expect(row).toEqual({ password_changed_at: now });
    expect(await countRows('SELECT count(*) AS n FROM password_history WHERE user_id = ?', user.id)).toBe(2);
    expect(await countRows("SELECT count(*) AS n FROM audit_events WHERE user_id = ? AND type = 'password_changed'", user.id)).toBe(1);
    await waitForMail(user.email, { subject: CHANGED_MAIL });
  });

  it('requires a bearer token', async () => {
    const res = await api('/api/v1/auth/password/change', { body: { current_password: 'x', new_password: 'y' } });
    expect([res.status, res.body.error.code]).toEqual([401, 'unauthorized']);
  });

  it('a wrong current password answers 400 on the field and counts toward the lockout', async () => {
    const user = await createVerifiedUser();
    const session = await login(user);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await change(session.access, WRONG, 'Amber-Falcon-Meadow-31');
      statuses.push(res.status);
      expect(res.body.error.fields).toEqual({ current_password: ['Your current password was entered incorrectly. Please enter it again.'] });
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400]);
    const locked = await change(session.access, user.password, 'Amber-Falcon-Meadow-31');
    expect([locked.status, locked.body.error.code, locked.headers.get('Retry-After')]).toEqual([423, 'account_locked', '300']);
    expect((await passwordLogin(user.email, user.password)).status).toBe(423);
  });

  it('shares one failure count with the login', async () => {
    const user = await createVerifiedUser();
    const session = await login(user);
    for (let i = 0; i < 3; i++) expect((await passwordLogin(user.email, WRONG)).status).toBe(401);
    for (let i = 0; i < 2; i++) expect((await change(session.access, WRONG, 'Amber-Falcon-Meadow-31')).status).toBe(400);
    expect((await passwordLogin(user.email, user.password)).status).toBe(423);
  });

  it('applies the password policy to the new password', async () => {
    const user = await createVerifiedUser();
    const session = await login(user);
    const res = await change(session.access, user.password, '12345678');
    expect([res.status, res.body.error.code]).toEqual([400, 'validation_failed']);
    expect(res.body.error.fields.new_password).toEqual(expect.arrayContaining(['This password is entirely numeric.']));
  });

  it('refuses any of the last 5 passwords with password_reused, and allows the 6th-last', async () => {
    const user = await createVerifiedUser();
    const session = await login(user);
    const passwords = [user.password, 'Amber-Falcon-Meadow-31', 'Brisk-Cobalt-Lagoon-52', 'Crimson-Dune-Orchard-73', 'Dapper-Ember-Quarry-94'];
    for (let i = 1; i < passwords.length; i++) expect((await change(session.access, passwords[i - 1]!, passwords[i]!)).status).toBe(200);
    // History now: the four above and the first; every one of them is refused.
    const current = passwords[passwords.length - 1]!;
    for (const old of passwords) {
      const res = await change(session.access, current, old);
      expect([res.status, res.body.error.code], old).toEqual([400, 'password_reused']);
    }
    expect((await change(session.access, current, 'Elder-Fjord-Sparrow-15')).status).toBe(200);
    // The first password is now the 6th-last: allowed again.
    expect((await change(session.access, 'Elder-Fjord-Sparrow-15', passwords[0]!)).status).toBe(200);
  });

  it('compares with the stored hashes, imported Django ones included', async () => {
    const user = await createVerifiedUser();
    const session = await login(user);
    const imported = 'Legacy-Django-Walrus-66';
    await env.DB.prepare('INSERT INTO password_history (user_id, password_hash, created_at) VALUES (?, ?, ?)')
      .bind(user.id, await makeDjangoPbkdf2Hash(imported, 'fixedsalt', 1000), Date.now() + 1)
      .run();
    const res = await change(session.access, user.password, imported);
    expect([res.status, res.body.error.code]).toEqual([400, 'password_reused']);
  });

  it('answers 401 for a token whose account is disabled', async () => {
    const user = await createVerifiedUser();
    const session = await login(user);
    await env.DB.prepare('UPDATE users SET is_active = 0 WHERE id = ?').bind(user.id).run();
    expect((await change(session.access, user.password, 'Amber-Falcon-Meadow-31')).status).toBe(401);
  });
});
