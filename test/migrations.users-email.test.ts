import { env } from 'cloudflare:workers';
import { applyD1Migrations } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';

/**
 * 0009 rebuilds `users` (email becomes nullable). D1 keeps foreign keys on during migrations,
 * so a plain rebuild would cascade-delete every row that refers to a user. This migrates an
 * empty D1 up to 0008, fills `users` and every table that refers to it, applies the rest and
 * checks that nothing was lost and every index, unique key and foreign key is still there.
 */
const db = env.MIGRATION_TEST_DB;
const REBUILD = '0009_users_email_optional.sql';

interface Column { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }
interface ForeignKey { table: string; from: string; to: string; on_delete: string }

async function tablesReferringToUsers(): Promise<string[]> {
  const referring: string[] = [];
  for (const table of await schemaObjects('table')) {
    if ((await foreignKeyList(table)).some((k) => k.table === 'users')) referring.push(table);
  }
  return referring;
}

// D1 refuses the pragma_*() table functions; the PRAGMA statements are allowed.
async function foreignKeyList(table: string): Promise<ForeignKey[]> {
  return (await db.prepare(`PRAGMA foreign_key_list("${table}")`).all<ForeignKey>()).results;
}

/**
 * One row with every required column filled: columns that refer to users get the users' ids;
 * columns that refer to another table (user_badges.badge_id) get a row made there first.
 */
async function insertChildRow(table: string, userIds: string[], verb = 'INSERT'): Promise<void> {
  const columns = (await db.prepare(`PRAGMA table_info("${table}")`).all<Column>()).results;
  const keys = await foreignKeyList(table);
  const userColumns = keys.filter((k) => k.table === 'users').map((k) => k.from);
  const names: string[] = [];
  const values: unknown[] = [];
  for (const column of columns) {
    const userIndex = userColumns.indexOf(column.name);
    const parent = keys.find((k) => k.table !== 'users' && k.from === column.name);
    if (parent) {
      await insertChildRow(parent.table, userIds, 'INSERT OR IGNORE');
      values.push(`${parent.table}-${parent.to}`);
    } else if (userIndex >= 0) values.push(userIds[userIndex % userIds.length]);
    else if (column.notnull && column.dflt_value === null) values.push(column.type.toUpperCase().startsWith('INT') ? 1 : `${table}-${column.name}`);
    else continue;
    names.push(`"${column.name}"`);
  }
  await db.prepare(`${verb} INTO "${table}" (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).bind(...values).run();
}

async function schemaObjects(kind: 'index' | 'table'): Promise<string[]> {
  const { results } = await db
    .prepare(`SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations' ORDER BY name`)
    .bind(kind)
    .all<{ name: string }>();
  return results.map((r) => r.name);
}

describe('migration 0009 (users.email nullable)', () => {
  it('keeps every user, every row that refers to one, and every index and foreign key', async () => {
    const cut = env.TEST_MIGRATIONS.findIndex((m) => m.name === REBUILD);
    expect(cut).toBeGreaterThan(0);
    await applyD1Migrations(db, env.TEST_MIGRATIONS.slice(0, cut));

    const now = Date.now();
    const userIds = ['user-a', 'user-b'];
    for (const [i, id] of userIds.entries()) {
      await db
        .prepare(
          `INSERT INTO users (id, email, username, username_key, phone_number, password_hash, role, date_joined, updated_at)
           VALUES (?, ?, ?, ?, ?, 'hash', 'manager', ?, ?)`,
        )
        .bind(id, `${id}@example.com`, `User${i}`, `user${i}`, `+4420794600${i}0`, now, now)
        .run();
    }
    const children = await tablesReferringToUsers();
    expect(children).toEqual(expect.arrayContaining(['profiles', 'user_settings', 'follows', 'blocks', 'devices', 'password_history']));
    // Blocks last: a follow between two users who block each other is refused (0007's trigger).
    for (const table of [...children].sort((a, b) => Number(a === 'blocks') - Number(b === 'blocks'))) {
      await insertChildRow(table, userIds);
    }
    const countsBefore = await rowCounts(children);
    const usersBefore = (await db.prepare('SELECT * FROM users ORDER BY id').all()).results;
    const indexesBefore = await schemaObjects('index');
    const keysBefore = await foreignKeys(children);

    await applyD1Migrations(db, env.TEST_MIGRATIONS);

    expect(await rowCounts(children)).toEqual(countsBefore);
    for (const table of children) expect(countsBefore[table]).toBe(1);
    expect(countsBefore.users).toBe(2);
    expect((await db.prepare('SELECT * FROM users ORDER BY id').all()).results).toEqual(usersBefore);
    expect(await schemaObjects('index')).toEqual(expect.arrayContaining(indexesBefore));
    expect(await schemaObjects('table')).not.toContain('__users_rows');
    expect(await foreignKeys(children)).toEqual(keysBefore);
    expect((await db.prepare('PRAGMA foreign_key_check').all()).results).toEqual([]);

    // The new column takes NULL, keeps its unique key and still refuses orphans.
    await db
      .prepare(`INSERT INTO users (id, email, password_hash, date_joined, updated_at) VALUES ('user-c', NULL, 'hash', ?, ?)`)
      .bind(now, now)
      .run();
    await expect(
      db.prepare(`INSERT INTO users (id, email, password_hash, date_joined, updated_at) VALUES ('user-d', 'user-a@example.com', 'h', ?, ?)`).bind(now, now).run(),
    ).rejects.toThrow(/UNIQUE/);
    await expect(
      db.prepare(`INSERT INTO profiles (user_id, updated_at) VALUES ('nobody', ?)`).bind(now).run(),
    ).rejects.toThrow(/FOREIGN KEY/);
    // Deleting a user still cascades.
    await db.prepare(`DELETE FROM users WHERE id = 'user-a'`).run();
    expect((await db.prepare(`SELECT count(*) AS n FROM profiles WHERE user_id = 'user-a'`).first<{ n: number }>())!.n).toBe(0);
  });
});

async function rowCounts(tables: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = { users: 0 };
  counts.users = (await db.prepare('SELECT count(*) AS n FROM users').first<{ n: number }>())!.n;
  for (const table of tables) counts[table] = (await db.prepare(`SELECT count(*) AS n FROM "${table}"`).first<{ n: number }>())!.n;
  return counts;
}

async function foreignKeys(tables: string[]): Promise<unknown[]> {
  const all: unknown[] = [];
  for (const table of tables) all.push(table, await foreignKeyList(table));
  return all;
}
