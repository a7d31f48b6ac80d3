import { and, count, desc, eq, gt, gte, lt, lte, or, sql, sum } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditEvents, dailyActivity, profiles, users } from '../db/schema';
import { utcDay } from '../activity/daily-activity';
import { timeframeMs, type Criteria, type CriteriaField, type InteractionKind } from './criteria';

/**
 * A user's figures, as far as a set of criteria reads them: loaded in one D1 batch with
 * only the queries those criteria need. assess.ts judges criteria against them.
 */
export interface Figures {
  fields: Record<CriteriaField, number>;
  /** Consecutive UTC days, up to today (or yesterday, when today has none yet), with a post. */
  postStreak: number;
  /** Keyed by eventKey(type, timeframe). */
  events: Map<string, number>;
  /** Keyed by interactionKey(kinds, timeframe). */
  interactions: Map<string, number>;
  /** 1 for the first account ever to join. */
  joinRank: number;
}

const DAY = 86_400_000;
const MAX_STREAK = 3650;

export const eventKey = (type: string, tf: string | undefined) => `${type}|${tf ?? 'all_time'}`;
export const interactionKey = (kinds: readonly InteractionKind[], tf: string) => `${[...kinds].sort().join(',')}|${tf}`;

/** Consecutive days ending today or yesterday among days sorted newest first. */
export function streakOf(days: string[], now: number): number {
  const today = utcDay(now);
  let expected = days[0] === today ? today : utcDay(now - DAY);
  let streak = 0;
  for (const day of days) {
    if (day !== expected) break;
    streak += 1;
    expected = utcDay(Date.parse(`${day}T00:00:00Z`) - DAY);
  }
  return streak;
}

/** The longest streak any of these criteria could ask about (no need to read further back). */
function streakNeeded(list: Criteria[], field: 'login_streak' | 'post'): number {
  let need = 0;
  for (const c of list) {
    if (c.type === 'consecutive_days' && (c.action === 'login' ? 'login_streak' : 'post') === field) need = Math.max(need, c.days);
    if (field === 'login_streak' && c.type === 'counter' && c.field === 'login_streak') need = Math.max(need, Math.ceil(c.threshold));
    if (field === 'login_streak' && c.type === 'multi_criteria')
      for (const r of c.requirements) if (r.field === 'login_streak') need = Math.max(need, Math.ceil(r.value) + 1);
  }
  return Math.min(MAX_STREAK, need);
}

function streakQuery(db: Db, userId: string, column: 'logins' | 'posts', limit: number, now: number) {
  return db
    .select({ day: dailyActivity.day })
    .from(dailyActivity)
    .where(and(eq(dailyActivity.userId, userId), gt(dailyActivity[column], 0), lte(dailyActivity.day, utcDay(now))))
    .orderBy(desc(dailyActivity.day))
    .limit(Math.max(1, limit + 1));
}

const sinceOf = (tf: string | undefined, now: number) => {
  const ms = timeframeMs(tf);
  return ms === null ? null : now - ms;
};

function eventQuery(db: Db, userId: string, type: string, tf: string | undefined, now: number) {
  const since = sinceOf(tf, now);
  return db
    .select({ n: count() })
    .from(auditEvents)
    .where(and(eq(auditEvents.userId, userId), eq(auditEvents.type, type), since === null ? undefined : gte(auditEvents.createdAt, new Date(since))));
}

/** daily_activity keeps social interactions in one column and client events in another. */
function interactionQuery(db: Db, userId: string, kinds: readonly InteractionKind[], tf: string, now: number) {
  const social = kinds.some((k) => k !== 'client_event');
  const client = kinds.includes('client_event');
  const since = sinceOf(tf, now);
  const expr = sql<number>`${social ? dailyActivity.interactions : sql`0`} + ${client ? dailyActivity.clientEvents : sql`0`}`;
  return db
    .select({ n: sum(expr) })
    .from(dailyActivity)
    .where(and(eq(dailyActivity.userId, userId), since === null ? undefined : gte(dailyActivity.day, utcDay(since))));
}

function joinRankQuery(db: Db, joinedAt: Date, userId: string) {
  return db
    .select({ n: count() })
    .from(users)
    .where(or(lt(users.dateJoined, joinedAt), and(eq(users.dateJoined, joinedAt), lt(users.id, userId))));
}

/** Loads what `list` reads of one user; null when the user or profile is gone. */
export async function loadFigures(db: Db, userId: string, list: Criteria[], now: number): Promise<Figures | null> {
  const [user] = await db
    .select({ dateJoined: users.dateJoined, p: profiles })
    .from(users)
    .innerJoin(profiles, eq(profiles.userId, users.id))
    .where(eq(users.id, userId))
    .limit(1);
  if (!user) return null;
  const loginNeed = streakNeeded(list, 'login_streak');
  const postNeed = streakNeeded(list, 'post');
  const eventKeys = new Map<string, { type: string; tf: string | undefined }>();
  const interactionKeys = new Map<string, { kinds: readonly InteractionKind[]; tf: string }>();
  let needRank = false;
  for (const c of list) {
    if (c.type === 'event_based') eventKeys.set(eventKey(c.event_type, c.timeframe), { type: c.event_type, tf: c.timeframe });
    if (c.type === 'social_interaction') interactionKeys.set(interactionKey(c.interactions, c.timeframe), { kinds: c.interactions, tf: c.timeframe });
    if (c.type === 'join_rank') needRank = true;
  }
  const queries = [
    streakQuery(db, userId, 'logins', loginNeed, now),
    streakQuery(db, userId, 'posts', postNeed, now),
    joinRankQuery(db, user.dateJoined, userId),
    ...[...eventKeys.values()].map((e) => eventQuery(db, userId, e.type, e.tf, now)),
    ...[...interactionKeys.values()].map((i) => interactionQuery(db, userId, i.kinds, i.tf, now)),
  ] as const;
  // Only what is read runs: the streak and rank statements are dropped when nobody asks.
  const wanted = queries.filter((_, i) => (i === 0 ? loginNeed > 0 : i === 1 ? postNeed > 0 : i === 2 ? needRank : true));
  const results = wanted.length ? await db.batch(wanted as unknown as [(typeof queries)[number], ...(typeof queries)[number][]]) : [];
  let at = 0;
  const next = <T>(used: boolean, empty: T): T => (used ? (results[at++] as T) : empty);
  const loginDays = next<{ day: string }[]>(loginNeed > 0, []);
  const postDays = next<{ day: string }[]>(postNeed > 0, []);
  const rankRows = next<{ n: number }[]>(needRank, [{ n: 0 }]);
  const events = new Map<string, number>();
  for (const key of eventKeys.keys()) events.set(key, Number(next<{ n: number }[]>(true, [])[0]?.n ?? 0));
  const interactions = new Map<string, number>();
  for (const key of interactionKeys.keys()) interactions.set(key, Number(next<{ n: string | number | null }[]>(true, [])[0]?.n ?? 0));
  const p = user.p;
  return {
    fields: {
      follower_count: p.followerCount,
      following_count: p.followingCount,
      posts_count: p.postsCount,
      engagement_score: p.engagementScore,
      content_quality_score: p.contentQualityScore,
      interaction_frequency: p.interactionFrequency,
      badge_points: p.badgePoints,
      days_since_join: Math.max(0, Math.floor((now - user.dateJoined.getTime()) / DAY)),
      login_streak: streakOf(loginDays.map((d) => d.day), now),
    },
    postStreak: streakOf(postDays.map((d) => d.day), now),
    events,
    interactions,
    joinRank: Number(rankRows[0]?.n ?? 0) + 1,
  };
}

