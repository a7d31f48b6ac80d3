import { and, eq, inArray } from 'drizzle-orm';
import { dailyActivity, profiles } from '../../db/schema';
import { utcDay } from '../../activity/daily-activity';
import type { RequestContext } from '../../http/request-context';

/** What changed for one user after content events: the facts badge criteria read. */
export interface ContentFacts {
  userId: string;
  postsCount: number;
  followerCount: number;
  followingCount: number;
  /** Today's (UTC) daily_activity counts. */
  postsToday: number;
  interactionsToday: number;
}

const CHUNK = 90;

/**
 * THE hook after ingested content events: the users they touched (authors and targets)
 * and their facts as they stand after the batch. Badge evaluation plugs in here: the
 * caller passes the result on (the badges capability's requestBadgeEvaluation).
 * Bounded: at most 200 users per request (100 events × subject + target), in chunks.
 */
export async function afterContentEvents(ctx: RequestContext, userIds: string[]): Promise<ContentFacts[]> {
  const facts: ContentFacts[] = [];
  const day = utcDay(ctx.now);
  for (let i = 0; i < userIds.length; i += CHUNK) {
    const ids = userIds.slice(i, i + CHUNK);
    const [counts, activity] = await ctx.db.batch([
      ctx.db
        .select({ userId: profiles.userId, posts: profiles.postsCount, followers: profiles.followerCount, following: profiles.followingCount })
        .from(profiles)
        .where(inArray(profiles.userId, ids)),
      ctx.db
        .select({ userId: dailyActivity.userId, posts: dailyActivity.posts, interactions: dailyActivity.interactions })
        .from(dailyActivity)
        .where(and(inArray(dailyActivity.userId, ids), eq(dailyActivity.day, day))),
    ]);
    const today = new Map(activity.map((a) => [a.userId, a]));
    for (const c of counts) {
      facts.push({
        userId: c.userId,
        postsCount: c.posts,
        followerCount: c.followers,
        followingCount: c.following,
        postsToday: today.get(c.userId)?.posts ?? 0,
        interactionsToday: today.get(c.userId)?.interactions ?? 0,
      });
    }
  }
  return facts;
}
