import { and, desc, eq, gte, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { union } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client';
import { follows, profiles, users } from '../db/schema';
import { usernameKey } from '../users/normalize';
import { offsetOf } from '../admin/pagination';
import type { ProfileListQuery } from './schemas';
import { followStatusOf, profileCard } from './serialize';
import { ownerOf, visibility, visibleToCondition, type FollowState, type Viewer } from './visibility';

/** Sorts after every character a prefix can be followed by (as src/admin/search.ts). */
const MAX_CHAR = '\u{10FFFF}';
const displayNameLower = sql`lower(${profiles.displayName})`;

function startsWith(column: Parameters<typeof gte>[0], prefix: string): SQL {
  return and(gte(column, prefix), lt(column, prefix + MAX_CHAR))!;
}

/**
 * Ids whose username or display name starts with the search text (case-insensitive), as
 * a UNION of two index range searches: users_username_key_unique and
 * profiles_display_name_lower_idx (an OR across two tables could not use either).
 */
export function searchIds(db: Db, search: string) {
  const term = search.normalize('NFKC').trim();
  const asciiFolded = term.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
  return union(
    db.select({ id: users.id }).from(users).where(startsWith(users.usernameKey, usernameKey(term))),
    db.select({ id: profiles.userId }).from(profiles).where(startsWith(displayNameLower, asciiFolded)),
  );
}

export function profileListWhere(db: Db, viewer: Viewer, query: ProfileListQuery): SQL | undefined {
  return and(
    visibleToCondition(viewer),
    query.search ? inArray(users.id, searchIds(db, query.search)) : undefined,
    query.country ? eq(profiles.country, query.country) : undefined,
    query.account_type ? eq(profiles.accountType, query.account_type) : undefined,
    query.is_verified !== undefined ? eq(profiles.isVerified, query.is_verified) : undefined,
  );
}

/** Ids and follow states only: rows are read by id next (D1 loses repeated column names in joins). */
export function profileListPage(db: Db, viewer: Viewer, query: ProfileListQuery) {
  return db
    .select({ id: users.id, follow: follows.status })
    .from(users)
    .innerJoin(profiles, eq(profiles.userId, users.id))
    .leftJoin(follows, and(eq(follows.followerId, viewer.id), eq(follows.followedId, users.id)))
    .where(profileListWhere(db, viewer, query))
    .orderBy(desc(users.dateJoined), desc(users.id))
    .limit(query.page_size)
    .offset(offsetOf(query));
}

export function profileListCount(db: Db, viewer: Viewer, query: ProfileListQuery) {
  return db
    .select({ n: sql<number>`count(*)` })
    .from(users)
    .innerJoin(profiles, eq(profiles.userId, users.id))
    .where(profileListWhere(db, viewer, query));
}

export async function listProfiles(db: Db, viewer: Viewer, query: ProfileListQuery) {
  const [page, counts] = await db.batch([profileListPage(db, viewer, query), profileListCount(db, viewer, query)]);
  return { count: counts[0]?.n ?? 0, results: await cardsInOrder(db, viewer, page) };
}

/** Cards for a page of (id, follow state), in the page's order. */
export async function cardsInOrder(db: Db, viewer: Viewer, page: { id: string; follow: FollowState | null }[]) {
  if (page.length === 0) return [];
  const ids = page.map((row) => row.id);
  const [userRows, profileRows] = await db.batch([
    db.select().from(users).where(inArray(users.id, ids)),
    db.select().from(profiles).where(inArray(profiles.userId, ids)),
  ]);
  const byId = new Map(userRows.map((u) => [u.id, u]));
  const profileById = new Map(profileRows.map((p) => [p.userId, p]));
  return page.flatMap(({ id, follow }) => {
    const user = byId.get(id);
    const profile = profileById.get(id);
    return user && profile ? cardIfVisible(viewer, { user, profile, follow }) : [];
  });
}

/** Every listed row still goes through `visibility` (the SQL filter is its mirror). */
export function cardIfVisible(viewer: Viewer, row: { user: typeof users.$inferSelect; profile: typeof profiles.$inferSelect; follow: FollowState | null }) {
  const follow = row.follow ?? 'none';
  if (visibility(viewer, ownerOf(row.user, row.profile), { blocked: false, follow }) === 'none') return [];
  return [profileCard(row.user, row.profile, followStatusOf(viewer.id, row.user.id, follow))];
}
