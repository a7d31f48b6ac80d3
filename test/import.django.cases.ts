import { describe, expect, it } from 'vitest';
import { env } from 'cloudflare:workers';
import dumpText from './fixtures/django/dump.json?raw';
import passwordsText from './fixtures/django/passwords.json?raw';
import { api } from './helpers/api';
import { codeFromMail, RESET_MAIL } from './otp.helpers';
import { importDjangoDump, type DumpRecord, type ImportReport, type Statement } from '../scripts/import-django/core';
import { followRow } from '../scripts/import-django/models';
import { mapRole } from '../scripts/import-django/users';

// The dump a real Django made (test/fixtures/django/build_dump.py), imported by the same
// core the CLI runs, applied to the test D1 in small chunks so chunking is exercised.
const records = JSON.parse(dumpText) as DumpRecord[];
const passwords = JSON.parse(passwordsText) as Record<string, string>;
const source = async function* () {
  yield* records;
};
let chunks = 0;
const apply = async (chunk: Statement[]) => {
  chunks++;
  expect(chunk.length).toBeLessThanOrEqual(40);
  for (const statement of chunk) expect(statement.params.length).toBeLessThanOrEqual(100);
  await env.DB.batch(chunk.map((s) => env.DB.prepare(s.sql).bind(...s.params)));
};
const runImport = () => importDjangoDump(source, { phoneRegion: 'PK', chunkSize: 40, audit: { eventId: crypto.randomUUID(), now: Date.now() } }, apply);

const TABLES = ['users', 'profiles', 'user_settings', 'professional_profiles', 'password_history', 'follows', 'blocks', 'badges', 'user_badges'];
async function snapshot(): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) {
    const key = table === 'password_history' ? 'user_id, created_at, password_hash' : table === 'profiles' || table === 'user_settings' || table === 'professional_profiles' ? 'user_id' : 'id';
    const columns = table === 'password_history' ? 'user_id, password_hash, created_at' : '*';
    out[table] = (await env.DB.prepare(`SELECT ${columns} FROM ${table} ORDER BY ${key}`).all()).results;
  }
  return out;
}

const userId = (username: string) => String(records.find((r) => r.model === 'accounts.user' && r.fields.username === username)!.pk);
const user = (username: string) => env.DB.prepare('SELECT * FROM users WHERE id = ?').bind(userId(username)).first<Record<string, unknown>>();
const profile = (username: string) => env.DB.prepare('SELECT * FROM profiles WHERE user_id = ?').bind(userId(username)).first<Record<string, unknown>>();
const login = (body: Record<string, string>) => api('/api/v1/auth/login', { body });

describe('import-django: a dump made by Django', () => {
  let first: ImportReport;
  let afterFirst: Record<string, unknown[]>;

  it('imports every user it can and names the ones it cannot, with a fix each', async () => {
    first = await runImport();
    afterFirst = await snapshot();
    expect(chunks).toBeGreaterThan(1);
    expect(first.usersInDump).toBe(18);
    expect(first.usersImported).toBe(13);
    const named = first.collisions.map((c) => [c.kind, c.key, c.users.map((u) => u.username).sort()]);
    expect(named).toEqual(
      expect.arrayContaining([
        ['username', 'alice', ['Alice', 'alice']],
        ['email', 'max@example.com', ['max1', 'max2']],
        ['phone_unreadable', '12-34', ['badphone']],
      ]),
    );
    expect(first.collisions).toHaveLength(3);
    for (const c of first.collisions) expect(c.fix).toMatch(/Django/);
    // Nothing half-written for them, and their relations are skipped and said so.
    for (const name of ['Alice', 'alice', 'max1', 'max2', 'badphone']) {
      expect(await user(name)).toBeNull();
      expect(await profile(name)).toBeNull();
    }
    const skipped = first.skipped.map((s) => `${s.model} ${s.reason}`);
    expect(skipped).toEqual(expect.arrayContaining([`social.follow user ${userId('alice')} is not imported (see collisions)`, `badges.userbadge user ${userId('Alice')} is not imported (see collisions)`, `social.block user ${userId('max1')} is not imported (see collisions)`, `accounts.passwordhistory user ${userId('max2')} is not imported (see collisions)`]));
    expect(first.ignoredModels).toEqual({});
    // The run is audited once, with its counts.
    const events = (await env.DB.prepare("SELECT severity, user_agent, metadata FROM audit_events WHERE type = 'users_imported_cli'").all()).results;
    expect(events).toEqual([{ severity: 'high', user_agent: 'npm run import-django', metadata: JSON.stringify({ source: 'django', users_in_dump: 18, users_imported: 13, collisions: 3, skipped: 9 }) }]);
  });

  it('keeps ids, dates, roles, account types, phones and verification as Django had them', async () => {
    const ada = (await user('ada'))!;
    const adaRecord = records.find((r) => r.pk === ada.id)!.fields;
    expect(ada).toMatchObject({ email: 'ada@example.com', username: 'ada', role: 'admin', is_active: 1, email_verified: 1, first_name: 'Ada', phone_number: '+14155550101' });
    expect(ada.date_joined).toBe(Date.parse(adaRecord.date_joined as string));
    expect(ada.last_login).toBe(Date.parse(adaRecord.last_login as string));
    expect(ada.password_hash).toBe(adaRecord.password);
    expect((await user('ben'))!.role).toBe('manager'); // is_staff
    expect((await user('dan'))!.role).toBe('manager'); // platform moderator
    expect((await profile('eve'))!.account_type).toBe('professional');
    expect((await profile('finn'))!.account_type).toBe('data_provider');
    expect((await profile('gus'))!.account_type).toBe('owner');
    expect(await user('noor')).toMatchObject({ email: null, phone_number: '+923001234567', username_key: 'noor' });
    expect(await user('Zed')).toMatchObject({ email: 'zed@example.com', phone_number: '+923017654321', username: 'Zed', username_key: 'zed' });
    expect(await user('jon')).toMatchObject({ is_active: 0 });
    expect(await user('kim')).toMatchObject({ email_verified: 0 });
    expect((await user('ivy'))!.password_hash).toMatch(/^!/);
  });

  it('brings profiles, settings, professional profiles, follows, blocks, badges and password history, with counts recomputed', async () => {
    expect(await profile('ada')).toMatchObject({ display_name: 'Ada', country: 'GB', date_of_birth: '1990-05-17', show_email: 1, posts_count: 3, follower_count: 2, following_count: 1, total_badges: 2, badge_points: 55 });
    expect(await profile('hana')).toMatchObject({ bio: 'hana (old profile)', avatar_url: 'avatars/hana.png', location: 'Lisbon', timezone: 'Europe/Lisbon', language: 'pt', follower_count: 0 });
    expect(await profile('cleo')).toMatchObject({ profile_visibility: 'followers' });
    expect(await env.DB.prepare('SELECT * FROM user_settings WHERE user_id = ?').bind(userId('cleo')).first()).toMatchObject({ theme: 'dark', language: 'fr', timezone: 'Europe/Paris', notification_frequency: 'daily' });
    expect(await env.DB.prepare('SELECT * FROM user_settings WHERE user_id = ?').bind(userId('kim')).first()).toMatchObject({ theme: 'system', email_notifications: 1 });
    expect(await env.DB.prepare('SELECT * FROM professional_profiles WHERE user_id = ?').bind(userId('eve')).first()).toMatchObject({ company_name: 'Eve Repairs Ltd', years_experience: 12, certifications: '["Gas Safe"]', is_verified: 1, verified_by: userId('ada') });
    const follows = (await env.DB.prepare('SELECT follower_id, followed_id, status FROM follows').all()).results;
    expect(follows).toHaveLength(4);
    expect(follows).toContainEqual({ follower_id: userId('ada'), followed_id: userId('cleo'), status: 'pending' });
    expect((await env.DB.prepare('SELECT blocker_id, blocked_id, reason FROM blocks').all()).results).toEqual([{ blocker_id: userId('gus'), blocked_id: userId('hana'), reason: 'spam' }]);
    expect((await env.DB.prepare('SELECT slug, category, rarity, points, criteria FROM badges ORDER BY slug').all()).results).toEqual([
      { slug: 'early-adopter', category: 'achievement', rarity: 'rare', points: 50, criteria: '{"type":"join_rank","max":100}' },
      { slug: 'welcome', category: 'special', rarity: 'common', points: 5, criteria: '{"type":"manual"}' },
    ]);
    expect((await env.DB.prepare('SELECT count(*) AS n FROM user_badges').first())!.n).toBe(3);
    expect((await env.DB.prepare('SELECT count(*) AS n FROM password_history WHERE user_id = ?').bind(userId('ada')).first())!.n).toBe(2);
  });

  it('a second run changes nothing', async () => {
    const second = await runImport();
    expect(second.usersImported).toBe(first.usersImported);
    expect(second.collisions).toEqual(first.collisions);
    expect(await snapshot()).toEqual(afterFirst);
  });

  it('every importable user signs in over HTTP with their old password, and the stored hash is upgraded', { timeout: 240_000 }, async () => {
    const signIns: [string, Record<string, string>, number, string?][] = [
      ['ada', { email: 'ada@example.com' }, 200],
      ['ben', { username: 'BEN' }, 200],
      ['cleo', { identifier: 'cleo@example.com' }, 200],
      ['dan', { username: 'dan' }, 200],
      ['eve', { email: 'eve@example.com' }, 200],
      ['finn', { username: 'finn' }, 200],
      ['gus', { username: 'gus' }, 200],
      ['hana', { username: 'hana' }, 200],
      ['noor', { phone_number: '+923001234567' }, 200],
      ['Zed', { email: 'zed@example.com' }, 200],
      ['jon', { username: 'jon' }, 403, 'account_disabled'],
      ['kim', { username: 'kim' }, 403, 'email_not_verified'],
    ];
    for (const [name, identifier, status, code] of signIns) {
      const before = (await user(name))!.password_hash as string;
      expect(before.startsWith('scrypt$'), name).toBe(false);
      const wrong = await login({ ...identifier, password: `${passwords[name]}!` });
      expect(wrong.status, name).toBe(401);
      const res = await login({ ...identifier, password: passwords[name]! });
      expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(status);
      if (code) expect(res.body.error.code).toBe(code);
      else expect(res.body.user.id).toBe(userId(name));
      expect((await user(name))!.password_hash as string, name).toMatch(/^scrypt\$/);
    }
    // The upgraded hash is what the next sign-in checks.
    expect((await login({ username: 'eve', password: passwords.eve! })).status).toBe(200);
  });

  it('an unusable Django password imports as "must reset": sign-in fails like a wrong password', async () => {
    const res = await login({ username: 'ivy', password: 'anything-at-all-1' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_credentials');
    expect((await user('ivy'))!.password_hash).toMatch(/^!/);
  });

  it('…and a password reset gives that user a password to sign in with', async () => {
    expect((await api('/api/v1/auth/password/forgot', { body: { email: 'ivy@example.com' } })).status).toBe(200);
    const { code } = await codeFromMail('ivy@example.com', RESET_MAIL);
    const newPassword = 'Lantern-Meadow-Quartz-71';
    expect((await api('/api/v1/auth/password/reset', { body: { email: 'ivy@example.com', code, new_password: newPassword } })).status).toBe(200);
    expect((await user('ivy'))!.password_hash).toMatch(/^scrypt\$/);
    expect((await login({ username: 'ivy', password: newPassword })).status).toBe(200);
  });

  it('a run after sign-ins keeps the upgraded hashes and later last logins', async () => {
    const upgraded = await user('ada');
    await runImport();
    const now = (await user('ada'))!;
    expect(now.password_hash).toBe(upgraded!.password_hash);
    expect(now.last_login).toBe(upgraded!.last_login);
    expect(now.last_login as number).toBeGreaterThan(Date.parse('2025-01-01'));
    expect((await login({ email: 'ada@example.com', password: passwords.ada! })).status).toBe(200);
  });
});

describe('import-django: model shapes of the other replaced apps', () => {
  const follow = (fields: Record<string, unknown>) => followRow({ model: 'social.follow', pk: 7, fields: { follower: 'a', following: 'b', ...fields } });

  it('reads follow states by their status word or accepted flag; a rejected request is no follow', () => {
    expect(follow({})!.status).toBe('accepted');
    expect(follow({ status: 'Requested' })!.status).toBe('pending');
    expect(follow({ status: 'approved' })!.status).toBe('accepted');
    expect(follow({ is_accepted: false })!.status).toBe('pending');
    expect(follow({ status: 'rejected' })).toBeNull();
    expect(followRow({ model: 'app.userfollowing', pk: 8, fields: { user: 'a', followed: 'b' } })).toMatchObject({ id: '8', follower_id: 'a', followed_id: 'b' });
  });

  it('maps roles: superuser → admin, staff or moderator → manager, platform roles → account_type', () => {
    expect(mapRole({ is_superuser: true, is_staff: true })).toEqual({ role: 'admin', accountType: 'normal' });
    expect(mapRole({ is_staff: true, role: 'professional' })).toEqual({ role: 'manager', accountType: 'professional' });
    expect(mapRole({ role: 'Moderator' })).toEqual({ role: 'manager', accountType: 'normal' });
    expect(mapRole({ role: 'data_provider' })).toEqual({ role: 'user', accountType: 'data_provider' });
    expect(mapRole({ role: 'user', account_type: 'owner' })).toEqual({ role: 'user', accountType: 'owner' });
    expect(mapRole({ role: 'astronaut' })).toEqual({ role: 'user', accountType: 'normal' });
  });

  it('recognises models by name whatever their app, and counts the ones it does not read', async () => {
    const dump: DumpRecord[] = [
      { model: 'users.customuser', pk: 42, fields: { email: 'Int@Example.com', password: 'pbkdf2_sha256$1$s$' + 'A'.repeat(43) + '=', date_joined: '2023-05-01T10:00:00.123456+02:00' } },
      { model: 'auth.group', pk: 1, fields: { name: 'editors' } },
      { model: 'sessions.session', pk: 'x', fields: {} },
    ];
    const report = await importDjangoDump(async function* () { yield* dump; }, { audit: { eventId: crypto.randomUUID(), now: Date.now() } }, apply);
    expect(report).toMatchObject({ usersInDump: 1, usersImported: 1, ignoredModels: { 'auth.group': 1, 'sessions.session': 1 } });
    expect(await env.DB.prepare("SELECT id, email, date_joined, email_verified FROM users WHERE id = '42'").first()).toEqual({ id: '42', email: 'int@example.com', date_joined: Date.parse('2023-05-01T08:00:00.123Z'), email_verified: 1 });
  });
});

describe('import-django: larger dumps', () => {
  it('150 users with profiles and follows import whole: no statement precedes the rows it refers to', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `bulk-${i}`);
    const dump: DumpRecord[] = [
      ...ids.map((id, i) => ({ model: 'accounts.user', pk: id, fields: { username: `bulk${i}`, email: `bulk${i}@example.com`, password: '!unusable', date_joined: '2024-01-01T00:00:00Z' } })),
      ...ids.map((id, i) => ({ model: 'social.userprofile', pk: i, fields: { user: id, display_name: `Bulk ${i}` } })),
      ...ids.map((id, i) => ({ model: 'social.follow', pk: `bulk-follow-${i}`, fields: { follower: id, following: ids[(i + 1) % ids.length], status: 'accepted' } })),
    ];
    const report = await importDjangoDump(async function* () { yield* dump; }, { audit: { eventId: crypto.randomUUID(), now: Date.now() } }, apply);
    expect(report).toMatchObject({ usersImported: 150, collisions: [], skipped: [] });
    const counts = await env.DB.prepare("SELECT count(*) AS n, sum(follower_count) AS followers, sum(following_count) AS following FROM profiles WHERE user_id LIKE 'bulk-%'").first();
    expect(counts).toEqual({ n: 150, followers: 150, following: 150 });
    expect((await env.DB.prepare("SELECT count(*) AS n FROM user_settings WHERE user_id LIKE 'bulk-%'").first())!.n).toBe(150);
  });
});
