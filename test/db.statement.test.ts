import { env } from 'cloudflare:workers';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createDb } from '../src/db/client';
import { profiles, sessionHistory, users } from '../src/db/schema';
import { historySeen, historyStart } from '../src/accounts/state/session-history';
import { rowReader, statement } from '../src/db/statement';
import { findUserById, findUserWithProfile } from '../src/users/queries';
import { createVerifiedUser } from './helpers/users';

const db = createDb(env.DB);

/** What drizzle's own query builder answers, per request: the reference the built-once reads must equal. */
async function viaDrizzle(id: string) {
  const [user] = await db.select().from(users).where(and(eq(users.id, id), isNull(users.deletedAt))).limit(1);
  const [profile] = await db.select().from(profiles).where(eq(profiles.userId, id)).limit(1);
  return { user, profile };
}

describe('statements built once (db/statement.ts)', () => {
  it('keeps drizzle\'s text with a ? per placeholder, and binds constants and arguments in order', () => {
    const s = statement<{ id: string }>((qb) => qb.select({ id: users.id }).from(users).where(eq(users.id, sql.placeholder('id'))).limit(7));
    expect(s.text).toBe('select "id" from "users" where "users"."id" = ? limit ?');
    expect(s.bind({ id: 'u1' })).toEqual(['u1', 7]);
    expect(s.bind({ id: 'u2' })).toEqual(['u2', 7]);
  });

  it('reads a row as drizzle does: booleans, timestamps, nulls', () => {
    const read = rowReader(users);
    const row = read(['id1', null, 'n', 'n', null, 'A', 'B', 'h', 'user', 1, 0, 1, 1_700_000_000_000, null, null, null, 1_700_000_000_500]);
    expect(row).toEqual({
      id: 'id1', email: null, username: 'n', usernameKey: 'n', phoneNumber: null, firstName: 'A', lastName: 'B', passwordHash: 'h', role: 'user',
      isActive: true, emailVerified: false, mfaEnabled: true, dateJoined: new Date(1_700_000_000_000), lastLogin: null, passwordChangedAt: null,
      deletedAt: null, updatedAt: new Date(1_700_000_000_500),
    });
  });

  it('findUserById and findUserWithProfile answer what drizzle answers', async () => {
    const { id } = await createVerifiedUser({ username: 'Stmt_User', phone_number: '+14155550142' });
    // Every kind of column non-null somewhere: timestamps, booleans, reals, an enum.
    await db.update(users).set({ lastLogin: new Date(1_800_000_000_123), mfaEnabled: true }).where(eq(users.id, id));
    await db.update(profiles).set({ bio: 'hi', lastActive: new Date(1_800_000_000_456), engagementScore: 1.5, showEmail: true, accountType: 'professional' }).where(eq(profiles.userId, id));
    const expected = await viaDrizzle(id);
    expect(expected.user?.lastLogin).toEqual(new Date(1_800_000_000_123));
    expect(await findUserById(db, id)).toEqual(expected.user);
    expect(await findUserWithProfile(db, id)).toEqual(expected);
  });

  it('a user without a profile row gets profile undefined; a deleted or unknown user is not found', async () => {
    const { id } = await createVerifiedUser();
    await db.delete(profiles).where(eq(profiles.userId, id));
    const found = await findUserWithProfile(db, id);
    expect(found).toEqual({ user: (await viaDrizzle(id)).user, profile: undefined });

    await db.update(users).set({ deletedAt: new Date() }).where(eq(users.id, id));
    expect(await findUserById(db, id)).toBeUndefined();
    expect(await findUserWithProfile(db, id)).toBeUndefined();
    expect(await findUserById(db, 'no-such-user')).toBeUndefined();
  });
});

describe('historySeen (a built-once update)', () => {
  const origin = { deviceType: '', browser: '', os: '', country: '', city: '', colo: '' };
  const T = 1_900_000_000_000;
  const session = (id: string) => ({ id, createdAt: T, lastSeenAt: T, ip: '198.51.100.7', userAgent: null, device: null, generation: 0, rotatedAt: T, expiresAt: T + 1000, absoluteExpiresAt: T + 9000 });

  async function rowOf(id: string) {
    const [row] = await db.select().from(sessionHistory).where(eq(sessionHistory.id, id));
    return row!;
  }

  it('moves last use and expiry; reopens a row closed as expired; leaves other ends alone', async () => {
    const { id: userId } = await createVerifiedUser();
    const [open, expired, loggedOut] = ['open', 'expired', 'logout'].map((k) => session(`${k}-${crypto.randomUUID()}`)) as [ReturnType<typeof session>, ReturnType<typeof session>, ReturnType<typeof session>];
    for (const s of [open, expired, loggedOut]) await historyStart(db, userId, s, origin);
    await db.update(sessionHistory).set({ endedAt: new Date(T + 1000), endReason: 'expired' }).where(eq(sessionHistory.id, expired.id));
    await db.update(sessionHistory).set({ endedAt: new Date(T + 500), endReason: 'logout' }).where(eq(sessionHistory.id, loggedOut.id));

    for (const s of [open, expired, loggedOut]) await historySeen(db, { id: s.id, lastSeenAt: T + 2000, expiresAt: T + 5000 });

    for (const s of [open, expired]) {
      expect(await rowOf(s.id)).toMatchObject({ lastSeenAt: new Date(T + 2000), expiresAt: new Date(T + 5000), endedAt: null, endReason: null });
    }
    expect(await rowOf(loggedOut.id)).toMatchObject({ lastSeenAt: new Date(T), expiresAt: new Date(T + 1000), endedAt: new Date(T + 500), endReason: 'logout' });
  });
});
