import { and, desc, eq, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client';
import { follows, profiles, users } from '../db/schema';
import { ApiError } from '../http/errors';
import { offsetOf, type PageRequest } from '../admin/pagination';
import { visibleToCondition, type Viewer } from '../profiles/visibility';
import { cardsInOrder } from '../profiles/search';
import type { FollowListQuery } from './schemas';

const me = (value: string | undefined, viewerId: string) => (value === 'me' ? viewerId : value);

/**
 * GET /follows: rows the caller is part of (as follower or followed); `follower` and
 * `followed` narrow them. Other people's lists are /users/{id}/followers|following, which
 * go through the visibility function.
 */
export function followListWhere(viewerId: string, query: FollowListQuery): SQL {
  const follower = me(query.follower, viewerId);
  const followed = me(query.followed, viewerId);
  return and(
    or(eq(follows.followerId, viewerId), eq(follows.followedId, viewerId)),
    follower ? eq(follows.followerId, follower) : undefined,
    followed ? eq(follows.followedId, followed) : undefined,
    query.status ? eq(follows.status, query.status) : undefined,
  )!;
}

export async function listFollows(db: Db, where: SQL, page: PageRequest) {
  const [rows, counts] = await db.batch([
    db.select().from(follows).where(where).orderBy(desc(follows.createdAt), desc(follows.id)).limit(page.page_size).offset(offsetOf(page)),
    db.select({ n: sql<number>`count(*)` }).from(follows).where(where),
  ]);
  return { count: counts[0]?.n ?? 0, rows };
}

type Direction = 'followers' | 'following';
const viewerFollow = alias(follows, 'viewer_follow');

/**
 * One page of a user's accepted followers (or followings), newest first, of the people the
 * viewer may see: an index range on follows_(followed|follower)_status_created_idx.
 */
export function relationPage(db: Db, viewer: Viewer, ownerId: string, direction: Direction, page: PageRequest) {
  const { mine, other } = sides(direction);
  return db
    .select({ id: users.id, follow: viewerFollow.status })
    .from(follows)
    .innerJoin(users, eq(users.id, other))
    .innerJoin(profiles, eq(profiles.userId, users.id))
    .leftJoin(viewerFollow, and(eq(viewerFollow.followerId, viewer.id), eq(viewerFollow.followedId, users.id)))
    .where(relationWhere(viewer, ownerId, mine))
    .orderBy(desc(follows.createdAt))
    .limit(page.page_size)
    .offset(offsetOf(page));
}

export function relationCount(db: Db, viewer: Viewer, ownerId: string, direction: Direction) {
  const { mine, other } = sides(direction);
  return db
    .select({ n: sql<number>`count(*)` })
    .from(follows)
    .innerJoin(users, eq(users.id, other))
    .innerJoin(profiles, eq(profiles.userId, users.id))
    .where(relationWhere(viewer, ownerId, mine));
}

type FollowSide = typeof follows.followedId | typeof follows.followerId;

function sides(direction: Direction): { mine: FollowSide; other: FollowSide } {
  return direction === 'followers' ? { mine: follows.followedId, other: follows.followerId } : { mine: follows.followerId, other: follows.followedId };
}

function relationWhere(viewer: Viewer, ownerId: string, mine: FollowSide) {
  return and(eq(mine, ownerId), eq(follows.status, 'accepted'), visibleToCondition(viewer));
}

export async function listRelation(db: Db, viewer: Viewer, ownerId: string, direction: Direction, page: PageRequest) {
  const [rows, counts] = await db.batch([relationPage(db, viewer, ownerId, direction, page), relationCount(db, viewer, ownerId, direction)]);
  return { count: counts[0]?.n ?? 0, results: await cardsInOrder(db, viewer, rows) };
}

export const privateList = () => new ApiError('forbidden', 'This profile is private: only its followers see its lists.');
