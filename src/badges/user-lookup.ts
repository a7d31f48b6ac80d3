import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import { usernameKey } from '../users/normalize';

/** A live account by id, email or username: how staff name a user in the API, the CLI and the console. */
export async function findUserByAnyKey(db: Db, key: string) {
  const value = key.trim();
  const where = value.includes('@') ? eq(users.email, value.toLowerCase()) : /^[0-9a-f-]{36}$/i.test(value) ? eq(users.id, value.toLowerCase()) : eq(users.usernameKey, usernameKey(value) ?? '');
  const [row] = await db.select({ id: users.id, email: users.email }).from(users).where(and(where, isNull(users.deletedAt))).limit(1);
  return row;
}
