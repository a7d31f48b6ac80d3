import { and, desc, eq, gt, gte, inArray, isNull, or, sql } from 'drizzle-orm';
import { badges, blocks, follows, profiles, userBadges, users } from '../db/schema';
import type { Db } from '../db/client';
import type { RequestContext } from '../http/request-context';
import { profileCard, followStatusOf } from '../profiles/serialize';

export const TIMEFRAMES = ['all_time', '30d', '7d'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];
export const MAX_LIMIT = 50;
/** Ranked and cached before the viewer's blocks are taken out, so a viewer still gets a full list. */
const CACHED_ROWS = 100;
/** A few minutes: badges change slowly, and the ranking is the costly part. */
export const LEADERBOARD_TTL_SECONDS = 180;
const RECENT = 3;

type Card = Omit<ReturnType<typeof profileCard>, 'follow_status'>;
interface CachedEntry {
  user: Card;
  badge_points: number;
  total_badges: number;
  recent_badges: { slug: string; name: string; icon: string; rarity: string; earned_at: string }[];
}

const cacheKey = (tf: Timeframe) => `badges:leaderboard:${tf}`;

/** Live, active, unsuspended accounts only (every viewer may see their card). */
const listed = and(isNull(users.deletedAt), eq(users.isActive, true), eq(profiles.isSuspended, false));

async function rank(db: Db, tf: Timeframe, now: number): Promise<CachedEntry[]> {
  let rows: { user: typeof users.$inferSelect; profile: typeof profiles.$inferSelect; points: number; total: number }[];
  if (tf === 'all_time') {
    rows = (
      await db
        .select({ user: users, profile: profiles })
        .from(profiles)
        .innerJoin(users, eq(users.id, profiles.userId))
        .where(and(gt(profiles.badgePoints, 0), listed))
        .orderBy(desc(profiles.badgePoints), desc(profiles.totalBadges), profiles.userId)
        .limit(CACHED_ROWS)
    ).map((r) => ({ ...r, points: r.profile.badgePoints, total: r.profile.totalBadges }));
  } else {
    const since = new Date(now - (tf === '30d' ? 30 : 7) * 86_400_000);
    const earned = db
      .select({ userId: userBadges.userId, points: sql<number>`sum(${badges.points})`.as('points'), total: sql<number>`count(*)`.as('total') })
      .from(userBadges)
      .innerJoin(badges, eq(badges.id, userBadges.badgeId))
      .where(gte(userBadges.earnedAt, since))
      .groupBy(userBadges.userId)
      .as('earned');
    rows = await db
      .select({ user: users, profile: profiles, points: earned.points, total: earned.total })
      .from(earned)
      .innerJoin(users, eq(users.id, earned.userId))
      .innerJoin(profiles, eq(profiles.userId, earned.userId))
      .where(listed)
      .orderBy(desc(earned.points), desc(earned.total), earned.userId)
      .limit(CACHED_ROWS);
  }
  const recent = await recentBadges(db, rows.map((r) => r.user.id));
  return rows.map((r) => {
    const { follow_status: _f, ...card } = profileCard(r.user, r.profile, 'none');
    return { user: card, badge_points: Number(r.points), total_badges: Number(r.total), recent_badges: recent.get(r.user.id) ?? [] };
  });
}

async function recentBadges(db: Db, userIds: string[]) {
  const out = new Map<string, CachedEntry['recent_badges']>();
  if (userIds.length === 0) return out;
  const rows = await db
    .select({ userId: userBadges.userId, slug: badges.slug, name: badges.name, icon: badges.icon, rarity: badges.rarity, earnedAt: userBadges.earnedAt })
    .from(userBadges)
    .innerJoin(badges, eq(badges.id, userBadges.badgeId))
    .where(and(inArray(userBadges.userId, userIds), eq(badges.isActive, true)))
    .orderBy(desc(userBadges.earnedAt));
  for (const r of rows) {
    const list = out.get(r.userId) ?? [];
    if (list.length < RECENT) list.push({ slug: r.slug, name: r.name, icon: r.icon, rarity: r.rarity, earned_at: r.earnedAt.toISOString() });
    out.set(r.userId, list);
  }
  return out;
}

/** The ranking for everyone: from KV when a recent one is there, else computed and kept for a few minutes. */
async function cachedRanking(ctx: RequestContext, tf: Timeframe): Promise<CachedEntry[]> {
  const hit = await ctx.env.KV.get<CachedEntry[]>(cacheKey(tf), 'json');
  if (hit) return hit;
  const fresh = await rank(ctx.db, tf, ctx.now);
  await ctx.env.KV.put(cacheKey(tf), JSON.stringify(fresh), { expirationTtl: LEADERBOARD_TTL_SECONDS });
  return fresh;
}

/**
 * The leaderboard as one viewer sees it: the shared ranking with everyone who blocked the
 * viewer or whom the viewer blocked taken out (after the cache, so the cache holds nothing
 * per viewer), ranks counted after that, and the viewer's follow status on each card.
 */
export async function leaderboard(ctx: RequestContext, viewerId: string, tf: Timeframe, limit: number) {
  const ranking = await cachedRanking(ctx, tf);
  const ids = ranking.map((e) => e.user.user_id);
  const [blocked, followed] = ids.length
    ? await ctx.db.batch([
        ctx.db
          .select({ a: blocks.blockerId, b: blocks.blockedId })
          .from(blocks)
          .where(or(and(eq(blocks.blockerId, viewerId), inArray(blocks.blockedId, ids)), and(eq(blocks.blockedId, viewerId), inArray(blocks.blockerId, ids)))),
        ctx.db.select({ id: follows.followedId, status: follows.status }).from(follows).where(and(eq(follows.followerId, viewerId), inArray(follows.followedId, ids))),
      ])
    : [[], []];
  const hidden = new Set(blocked.map((r) => (r.a === viewerId ? r.b : r.a)));
  const follow = new Map(followed.map((r) => [r.id, r.status]));
  return ranking
    .filter((e) => !hidden.has(e.user.user_id))
    .slice(0, limit)
    .map((e, i) => ({
      rank: i + 1,
      user: { ...e.user, follow_status: followStatusOf(viewerId, e.user.user_id, follow.get(e.user.user_id) ?? 'none') },
      badge_points: e.badge_points,
      total_badges: e.total_badges,
      recent_badges: e.recent_badges,
    }));
}
