import { env } from 'cloudflare:workers';
import { runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { CRONS } from '../src/maintenance';
import { purgeDeletedUsers, USERS_PER_RUN } from '../src/maintenance/purge-deleted-users';
import { userState } from '../src/accounts/state/client';
import { countRows, jobContext, runCron } from './helpers/maintenance';
import { createVerifiedUser, login, type TestUser } from './helpers/users';

const DAY = 24 * 3600_000;
const device = { fingerprint_hash: 'f'.repeat(64), device_type: 'desktop', browser: 'Firefox', os: 'Linux' };

/** Every key the account's Durable Object stores (sessions, lockout, one-time secrets). */
const storedKeys = (id: string) => runInDurableObject(userState(env, id), (_instance, state) => [...state.storage.kv.list()].length);

const softDelete = (id: string, daysAgo: number) =>
  env.DB.prepare('UPDATE users SET deleted_at = ? WHERE id = ?').bind(Date.now() - daysAgo * DAY, id).run();

/** A verified account that owns something in every place an account can own something. */
async function accountWithEverything(): Promise<TestUser> {
  const user = await createVerifiedUser({ device });
  await login(user);
  const at = Date.now();
  await env.DB.batch([
    env.DB.prepare('INSERT INTO mfa_totp (user_id, secret_ciphertext, confirmed_at, created_at) VALUES (?, ?, ?, ?)').bind(user.id, 'ciphertext', at, at),
    env.DB.prepare('INSERT INTO mfa_recovery_codes (id, user_id, code_hash, created_at) VALUES (?, ?, ?, ?)').bind(crypto.randomUUID(), user.id, 'hash', at),
    env.DB.prepare("INSERT INTO mail_failures (id, message_id, template, recipient, user_id, error, attempts, created_at) VALUES (?, ?, 'login_code', ?, ?, 'x', 5, ?)")
      .bind(crypto.randomUUID(), crypto.randomUUID(), user.email, user.id, at),
    env.DB.prepare("INSERT INTO mail_suppressions (email, kind, reason, created_at) VALUES (?, 'bounce', 'hard bounce (5.1.1)', ?)").bind(user.email, at),
  ]);
  return user;
}

/** What the account still owns, table by table. */
async function holdings(user: TestUser) {
  const by = (table: string, column = 'user_id') => countRows(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ?`, user.id);
  return {
    users: await by('users', 'id'),
    profiles: await by('profiles'),
    password_history: await by('password_history'),
    devices: await by('devices'),
    mfa_totp: await by('mfa_totp'),
    mfa_recovery_codes: await by('mfa_recovery_codes'),
    audit_events: await by('audit_events'),
    audit_events_as_actor: await by('audit_events', 'actor_id'),
    mail_failures: await countRows('SELECT COUNT(*) AS n FROM mail_failures WHERE user_id = ? OR recipient = ?', user.id, user.email),
    mail_suppressions: await countRows('SELECT COUNT(*) AS n FROM mail_suppressions WHERE email = ?', user.email),
    sessions: (await userState(env, user.id).listSessions(Date.now())).length,
  };
}

describe('purge of soft-deleted accounts (daily)', () => {
  it('erases an account deleted more than 30 days ago with everything it owns', async () => {
    const user = await accountWithEverything();
    const before = await holdings(user);
    expect(before).toMatchObject({ users: 1, profiles: 1, password_history: 1, mfa_totp: 1, mfa_recovery_codes: 1, mail_failures: 1, mail_suppressions: 1, sessions: 1 });
    expect(before.audit_events).toBeGreaterThanOrEqual(2);
    expect(before.devices).toBeGreaterThanOrEqual(1);
    expect(await storedKeys(user.id)).toBeGreaterThanOrEqual(2); // a session, the lockout record
    const eventIds = await env.DB.prepare('SELECT id FROM audit_events WHERE user_id = ?').bind(user.id).all<{ id: string }>();

    await softDelete(user.id, 31);
    await runCron(CRONS.daily);

    expect(await holdings(user)).toEqual({
      users: 0,
      profiles: 0,
      password_history: 0,
      devices: 0,
      mfa_totp: 0,
      mfa_recovery_codes: 0,
      audit_events: 0,
      audit_events_as_actor: 0,
      mail_failures: 0,
      mail_suppressions: 0,
      sessions: 0,
    });
    // Its events stay for counts and history, with nothing personal left in them.
    const ids = eventIds.results.map((r) => r.id);
    const kept = await env.DB.prepare(`SELECT user_id, actor_id, ip, user_agent, metadata FROM audit_events WHERE id IN (${ids.map(() => '?').join(',')})`)
      .bind(...ids)
      .all();
    expect(kept.results).toHaveLength(ids.length);
    for (const row of kept.results) expect(row).toEqual({ user_id: null, actor_id: null, ip: null, user_agent: null, metadata: '{}' });
    // And the Durable Object holds nothing at all.
    expect(await storedKeys(user.id)).toBe(0);
  });

  it("clears a purged admin's name from the events of accounts they acted on", async () => {
    const [admin, target] = [await createVerifiedUser(), await createVerifiedUser()];
    const eventId = crypto.randomUUID();
    await env.DB.prepare("INSERT INTO audit_events (id, type, severity, user_id, actor_id, metadata, created_at) VALUES (?, 'admin_user_updated', 'warning', ?, ?, '{}', ?)")
      .bind(eventId, target.id, admin.id, Date.now())
      .run();
    await softDelete(admin.id, 40);
    await purgeDeletedUsers.run(jobContext());
    expect(await env.DB.prepare('SELECT user_id, actor_id FROM audit_events WHERE id = ?').bind(eventId).first()).toEqual({ user_id: target.id, actor_id: null });
  });

  it('keeps accounts inside the grace period, restored ones and live ones', async () => {
    const [recent, restored, live] = [await createVerifiedUser(), await createVerifiedUser(), await createVerifiedUser()];
    await softDelete(recent.id, 29);
    await softDelete(restored.id, 60);
    await env.DB.prepare('UPDATE users SET deleted_at = NULL WHERE id = ?').bind(restored.id).run();
    await purgeDeletedUsers.run(jobContext());
    for (const user of [recent, restored, live]) expect(await countRows('SELECT COUNT(*) AS n FROM users WHERE id = ?', user.id)).toBe(1);
    expect(await countRows('SELECT COUNT(*) AS n FROM profiles WHERE user_id = ?', recent.id)).toBe(1);
  });

  it('follows RETENTION_DELETED_USERS_DAYS', async () => {
    const user = await createVerifiedUser();
    await softDelete(user.id, 8);
    await purgeDeletedUsers.run(jobContext({ ...env, RETENTION_DELETED_USERS_DAYS: '7' }));
    expect(await countRows('SELECT COUNT(*) AS n FROM users WHERE id = ?', user.id)).toBe(0);
  });

  it(`purges at most ${USERS_PER_RUN} accounts a run; the next run takes the rest`, async () => {
    const total = USERS_PER_RUN + 12;
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ?1)
       INSERT INTO users (id, email, password_hash, date_joined, updated_at, deleted_at)
       SELECT 'bulk-' || i, 'bulk-' || i || '@example.com', 'x', ?2, ?2, ?2 FROM n`,
    )
      .bind(total, Date.now() - 45 * DAY)
      .run();
    const bulk = () => countRows("SELECT COUNT(*) AS n FROM users WHERE id LIKE 'bulk-%'");
    expect(await purgeDeletedUsers.run(jobContext())).toEqual({ accounts_due: USERS_PER_RUN, accounts_purged: USERS_PER_RUN, accounts_failed: 0, complete: false });
    expect(await bulk()).toBe(12);
    expect(await purgeDeletedUsers.run(jobContext())).toEqual({ accounts_due: 12, accounts_purged: 12, accounts_failed: 0, complete: true });
    expect(await bulk()).toBe(0);
  });

  it('two runs at once purge each account once, without errors', async () => {
    const users = await Promise.all(Array.from({ length: 4 }, () => accountWithEverything()));
    for (const user of users) await softDelete(user.id, 35);
    const reports = await Promise.all([purgeDeletedUsers.run(jobContext()), purgeDeletedUsers.run(jobContext())]);
    expect(reports.reduce((sum, r) => sum + Number(r.accounts_purged), 0)).toBe(4);
    expect(reports.every((r) => r.accounts_failed === 0)).toBe(true);
    for (const user of users) expect(await countRows('SELECT COUNT(*) AS n FROM users WHERE id = ?', user.id)).toBe(0);
    // A third run finds nothing left to do.
    expect(await purgeDeletedUsers.run(jobContext())).toMatchObject({ accounts_due: 0, accounts_purged: 0 });
  });

  it('an account whose Durable Object cannot be erased is kept for the next run', async () => {
    const user = await createVerifiedUser();
    await softDelete(user.id, 31);
    const failing = {
      ...env,
      USER_STATE: { getByName: () => ({ erase: () => Promise.reject(new Error('object unavailable')) }) },
    } as unknown as Cloudflare.Env;
    const report = await purgeDeletedUsers.run(jobContext(failing));
    expect(report).toMatchObject({ accounts_failed: 1 });
    expect(await countRows('SELECT COUNT(*) AS n FROM users WHERE id = ?', user.id)).toBe(1);
    expect(await purgeDeletedUsers.run(jobContext())).toMatchObject({ accounts_failed: 0 });
    expect(await countRows('SELECT COUNT(*) AS n FROM users WHERE id = ?', user.id)).toBe(0);
  });
});
