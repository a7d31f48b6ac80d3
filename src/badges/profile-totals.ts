import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { badges, profiles, userBadges } from '../db/schema';

const pointsOf = sql`(select coalesce(sum(${badges.points}), 0) from ${userBadges} join ${badges} on ${badges.id} = ${userBadges.badgeId} where ${userBadges.userId} = ${profiles.userId})`;
const countOf = sql`(select count(*) from ${userBadges} where ${userBadges.userId} = ${profiles.userId})`;

/**
 * Sets a user's `badge_points` and `total_badges` from the rows they hold. Run in the batch
 * that changes `user_badges` (one transaction): concurrent awards each leave the exact sum.
 */
export function recomputeTotals(db: Db, userId: string) {
  return db.update(profiles).set({ badgePoints: pointsOf, totalBadges: countOf }).where(eq(profiles.userId, userId));
}

/** The same for every holder of a badge whose points changed. */
export function recomputeHolders(db: Db, badgeId: string) {
  return db
    .update(profiles)
    .set({ badgePoints: pointsOf, totalBadges: countOf })
    .where(sql`${profiles.userId} in (select ${userBadges.userId} from ${userBadges} where ${userBadges.badgeId} = ${badgeId})`);
}
