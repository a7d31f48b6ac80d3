import { and, eq, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { profiles, users, type ProfileRow, type UserRow, type UserWithEmail } from '../db/schema';
import { columnCount, rawRows, rowReader, statement } from '../db/statement';

const readUser = rowReader(users);
const readProfile = rowReader(profiles);
const USER_COLUMNS = columnCount(users);

// Built once (db/statement.ts): the hottest reads of the API, on every refresh and write.
const userById = statement<{ id: string }>((qb) =>
  qb.select().from(users).where(and(eq(users.id, sql.placeholder('id')), isNull(users.deletedAt))).limit(1),
);
const userWithProfileById = statement<{ id: string }>((qb) =>
  qb
    .select()
    .from(users)
    .leftJoin(profiles, eq(profiles.userId, users.id))
    .where(and(eq(users.id, sql.placeholder('id')), isNull(users.deletedAt)))
    .limit(1),
);

/** Live (not soft-deleted) user by id. */
export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  const [row] = await rawRows(db, userById, { id });
  return row ? readUser(row) : undefined;
}

/** A live user and their profile (undefined when the account has none), in one statement. */
export async function findUserWithProfile(db: Db, id: string): Promise<{ user: UserRow; profile: ProfileRow | undefined } | undefined> {
  const [row] = await rawRows(db, userWithProfileById, { id });
  if (!row) return undefined;
  // profiles.user_id is the profile's primary key: null only when the join found no profile.
  const profile = row[USER_COLUMNS] === null ? undefined : readProfile(row, USER_COLUMNS);
  return { user: readUser(row), profile };
}

/**
 * findUserById's read as a drizzle query, not yet run, for a db.batch with other reads (one D1 round trip).
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
