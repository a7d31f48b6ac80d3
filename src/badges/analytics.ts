import { count, countDistinct, desc, eq, gte, sql, sum } from 'drizzle-orm';
import { BADGE_CATEGORIES, BADGE_RARITIES, badges, userBadges, users } from '../db/schema';
import type { Db } from '../db/client';
import { utcDay } from '../activity/daily-activity';
import { serializeBadge } from './serialize';

/** Days of the "awards per day" figure. */
export const AWARD_DAYS = 30;

/** The figures of GET /admin/badges/analytics and the console's analytics page. */
export async function badgeAnalytics(db: Db, now: number) {
  const since = utcDay(now - (AWARD_DAYS - 1) * 86_400_000);
  const day = sql<string>`strftime('%Y-%m-%d', ${userBadges.earnedAt} / 1000, 'unixepoch')`;
  const [totals, awardTotals, byCategory, byRarity, top, recent, perDay] = await db.batch([
    db.select({ badges: count(), active: sum(sql`${badges.isActive}`) }).from(badges),
    db
      .select({ awards: count(), holders: countDistinct(userBadges.userId), points: sum(badges.points) })
      .from(userBadges)
      .innerJoin(badges, eq(badges.id, userBadges.badgeId)),
    db
      .select({ key: badges.category, badges: countDistinct(badges.id), awards: count(userBadges.id) })
      .from(badges)
      .leftJoin(userBadges, eq(userBadges.badgeId, badges.id))
      .groupBy(badges.category),
    db
      .select({ key: badges.rarity, badges: countDistinct(badges.id), awards: count(userBadges.id) })
      .from(badges)
      .leftJoin(userBadges, eq(userBadges.badgeId, badges.id))
      .groupBy(badges.rarity),
    db
      .select({ badge: badges, awards: count(userBadges.id) })
      .from(badges)
      .innerJoin(userBadges, eq(userBadges.badgeId, badges.id))
      .groupBy(badges.id)
      .orderBy(desc(count(userBadges.id)), badges.slug)
      .limit(10),
    db
      .select({ id: userBadges.id, userId: userBadges.userId, username: users.username, email: users.email, slug: badges.slug, name: badges.name, earnedAt: userBadges.earnedAt, awardedBy: userBadges.awardedBy })
      .from(userBadges)
      .innerJoin(badges, eq(badges.id, userBadges.badgeId))
      .innerJoin(users, eq(users.id, userBadges.userId))
      .orderBy(desc(userBadges.earnedAt), desc(userBadges.id))
      .limit(20),
    db
      .select({ day, awards: count() })
      .from(userBadges)
      .where(gte(userBadges.earnedAt, new Date(`${since}T00:00:00Z`)))
      .groupBy(day),
  ]);
  const fill = <K extends string>(keys: readonly K[], rows: { key: string; badges: number; awards: number }[]) =>
    keys.map((key) => {
      const row = rows.find((r) => r.key === key);
      return { key, badges: row?.badges ?? 0, awards: row?.awards ?? 0 };
    });
  const perDayMap = new Map(perDay.map((r) => [r.day, r.awards]));
  return {
    totals: {
      badges: totals[0]?.badges ?? 0,
      active_badges: Number(totals[0]?.active ?? 0),
      awards: awardTotals[0]?.awards ?? 0,
      users_with_badges: awardTotals[0]?.holders ?? 0,
      points_awarded: Number(awardTotals[0]?.points ?? 0),
    },
    by_category: fill(BADGE_CATEGORIES, byCategory).map(({ key, ...r }) => ({ category: key, ...r })),
    by_rarity: fill(BADGE_RARITIES, byRarity).map(({ key, ...r }) => ({ rarity: key, ...r })),
    top_badges: top.map((t) => ({ badge: serializeBadge(t.badge), awards: t.awards })),
    recent_awards: recent.map((r) => ({
      id: r.id,
      user_id: r.userId,
      username: r.username,
      email: r.email,
      badge: { slug: r.slug, name: r.name },
      earned_at: r.earnedAt.toISOString(),
      awarded_by: r.awardedBy,
    })),
    awards_per_day: Array.from({ length: AWARD_DAYS }, (_, i) => {
      const d = utcDay(now - (AWARD_DAYS - 1 - i) * 86_400_000);
      return { day: d, awards: perDayMap.get(d) ?? 0 };
    }),
  };
}
export type BadgeAnalytics = Awaited<ReturnType<typeof badgeAnalytics>>;
