import { and, eq, isNull, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users, type UserRow, type UserWithEmail } from '../db/schema';

/** Live (not soft-deleted) user by id. */
export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return (await userByIdQuery(db, id))[0];
}

/**
 * findUserById's query, not yet run, for a db.batch with other reads (one D1 round trip).
 * A plain select: drizzle's findFirst fails inside a D1 batch when no row matches.
 */
export function userByIdQuery(db: Db, id: string) {
  return db.select().from(users).where(and(eq(users.id, id), isNull(users.deletedAt))).limit(1);
}

/** Live user by normalized email. */
export async function findUserByEmail(db: Db, email: string): Promise<UserWithEmail | undefined> {
  // Found by its address, so it has one (an account without an email is never found here).
  return db.query.users.findFirst({ where: and(eq(users.email, email), isNull(users.deletedAt)) }) as Promise<UserWithEmail | undefined>;
}

export interface UniqueKeys {
  email: string | null;
  usernameKey: string | null;
  phoneNumber: string | null;
}

/** Which of the unique keys already belong to someone (soft-deleted accounts still own theirs). */
export async function takenKeys(db: Db, keys: UniqueKeys, exceptUserId?: string): Promise<Set<keyof UniqueKeys>> {
  if (!keys.email && !keys.usernameKey && !keys.phoneNumber) return new Set();
  const conditions: SQL[] = [];
  if (keys.email) conditions.push(eq(users.email, keys.email));
  if (keys.usernameKey) conditions.push(eq(users.usernameKey, keys.usernameKey));
  if (keys.phoneNumber) conditions.push(eq(users.phoneNumber, keys.phoneNumber));
  const rows = await db
    .select({ id: users.id, email: users.email, usernameKey: users.usernameKey, phoneNumber: users.phoneNumber })
    .from(users)
    .where(or(...conditions));
  const taken = new Set<keyof UniqueKeys>();
  for (const row of rows) {
    if (row.id === exceptUserId) continue;
    if (keys.email && row.email === keys.email) taken.add('email');
    if (keys.usernameKey && row.usernameKey === keys.usernameKey) taken.add('usernameKey');
    if (keys.phoneNumber && row.phoneNumber === keys.phoneNumber) taken.add('phoneNumber');
  }
  return taken;
}

/** Maps a D1 unique-constraint failure to the key it protects (for races the pre-check missed). */
export function uniqueViolation(err: unknown): keyof UniqueKeys | null {
  const text = String((err as { message?: string; cause?: { message?: string } })?.cause?.message ?? (err as Error)?.message ?? '');
  if (!/UNIQUE constraint failed/i.test(text)) return null;
  if (text.includes('users.email')) return 'email';
  if (text.includes('users.username_key')) return 'usernameKey';
  if (text.includes('users.phone_number')) return 'phoneNumber';
  return null;
}
