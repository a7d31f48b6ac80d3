import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { follows, profiles } from '../db/schema';

const acceptedFollowersOf = sql`(select count(*) from ${follows} where ${follows.followedId} = ${profiles.userId} and ${follows.status} = 'accepted')`;
const acceptedFollowingOf = sql`(select count(*) from ${follows} where ${follows.followerId} = ${profiles.userId} and ${follows.status} = 'accepted')`;

/**
 * Sets both counts of these users from the rows (index-only counts). Run in the same
 * batch() as the change to `follows`: D1 runs a batch as one transaction, so concurrent
 * writes each leave the exact count and no request reads a count to write it back.
 */
export function recountStatement(db: Db, userIds: string[]) {
  return db
    .update(profiles)
    .set({ followerCount: acceptedFollowersOf, followingCount: acceptedFollowingOf })
    .where(inArray(profiles.userId, userIds));
}

/**
 * Going public: every pending request to the owner becomes a follow, and the counts of
 * the owner and of everyone following them are recomputed, all in the caller's batch.
 */
export function acceptPendingStatements(db: Db, ownerId: string, now: number) {
  return [
    db
      .update(follows)
      .set({ status: 'accepted', updatedAt: new Date(now) })
      .where(and(eq(follows.followedId, ownerId), eq(follows.status, 'pending'))),
    db
      .update(profiles)
      .set({ followingCount: acceptedFollowingOf })
      .where(inArray(profiles.userId, db.select({ id: follows.followerId }).from(follows).where(eq(follows.followedId, ownerId)))),
    recountStatement(db, [ownerId]),
  ] as const;
}
