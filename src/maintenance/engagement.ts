import type { EngagementWeights } from '../config/config';
import { utcDay } from '../activity/daily-activity';
import { DAY_MS, type JobContext, type JobReport, type MaintenanceJob } from './job';
import { advanceWatermark, readWatermark } from './watermarks';
import { startOfUtcDay } from './daily-stats';

/** What the score is computed from: the user's last ENGAGEMENT_WINDOW_DAYS. */
export interface EngagementFacts {
  /** Days with a daily_activity row (anything at all that day). */
  activeDays: number;
  /** Likes, comments, shares, reviews, helpful votes given. */
  interactions: number;
  /** Accepted follows of the user created in the window. */
  newFollowers: number;
  posts: number;
}

export const ENGAGEMENT_WINDOW_DAYS = 30;
export const ENGAGEMENT_LIMITS = { usersPerPage: 90, maxPages: 25 };
const PASS = 'engagement_scores';
/** Sorts after every id: the day's pass is finished. */
const DONE = '\uffff';

/**
 * THE engagement formula (README "Engagement score"): a weighted sum of the last 30 days,
 * capped at 100, one decimal. interaction_frequency is interactions per day over the window.
 */
export function engagementScore(f: EngagementFacts, w: EngagementWeights): number {
  const sum = w.active_days * f.activeDays + w.interactions * f.interactions + w.new_followers * f.newFollowers + w.posts * f.posts;
  return Math.min(100, Math.round(sum * 10) / 10);
}

/**
 * Daily scores, computed in bounded pages from the hourly cron: each UTC day one pass over
 * every profile by id (a watermark keeps its place), up to 25 pages of 90 users a run, so a
 * large base finishes within the day and a small one in the first run; later runs that day
 * see the pass finished and stop. Writes are idempotent: two runs at once write the same
 * scores, and the watermark only moves forward.
 */
export const engagementScores: MaintenanceJob = {
  name: 'engagement_scores',
  async run(ctx: JobContext): Promise<JobReport> {
    const day = startOfUtcDay(ctx.now);
    const mark = await readWatermark(ctx.db, PASS);
    let after = mark && mark.at === day ? mark.key : '';
    if (after === DONE) return { users_scored: 0, pages: 0, pass_finished: true };
    let users = 0;
    let pages = 0;
    while (pages < ENGAGEMENT_LIMITS.maxPages) {
      const ids = await nextUsers(ctx, after);
      pages += 1;
      users += await scorePage(ctx, ids);
      const finished = ids.length < ENGAGEMENT_LIMITS.usersPerPage;
      after = finished ? DONE : ids.at(-1)!;
      await advanceWatermark(ctx.db, PASS, { at: day, key: after }, ctx.now);
      if (finished) break;
    }
    return { users_scored: users, pages, pass_finished: after === DONE };
  },
};

async function nextUsers(ctx: JobContext, after: string): Promise<string[]> {
  const { results } = await ctx.env.DB.prepare('SELECT user_id FROM profiles WHERE user_id > ?1 ORDER BY user_id LIMIT ?2')
    .bind(after, ENGAGEMENT_LIMITS.usersPerPage)
    .all<{ user_id: string }>();
  return results.map((r) => r.user_id);
}

async function scorePage(ctx: JobContext, userIds: string[]): Promise<number> {
  if (userIds.length === 0) return 0;
  const ids = JSON.stringify(userIds);
  const since = ctx.now - ENGAGEMENT_WINDOW_DAYS * DAY_MS;
  const [activity, followers] = await ctx.env.DB.batch([
    ctx.env.DB.prepare(
      `SELECT user_id, count(*) AS days, sum(interactions) AS interactions, sum(posts) AS posts FROM daily_activity
       WHERE user_id IN (SELECT value FROM json_each(?1)) AND day > ?2 GROUP BY user_id`,
    ).bind(ids, utcDay(since)),
    ctx.env.DB.prepare(
      `SELECT followed_id AS user_id, count(*) AS n FROM follows
       WHERE followed_id IN (SELECT value FROM json_each(?1)) AND status = 'accepted' AND created_at >= ?2 GROUP BY followed_id`,
    ).bind(ids, since),
  ]);
  const act = new Map((activity!.results as { user_id: string; days: number; interactions: number; posts: number }[]).map((r) => [r.user_id, r]));
  const fol = new Map((followers!.results as { user_id: string; n: number }[]).map((r) => [r.user_id, r.n]));
  const weights = ctx.config.events.engagementWeights;
  const updates = userIds.map((id) => {
    const a = act.get(id);
    const facts = { activeDays: a?.days ?? 0, interactions: a?.interactions ?? 0, newFollowers: fol.get(id) ?? 0, posts: a?.posts ?? 0 };
    const frequency = Math.round((facts.interactions / ENGAGEMENT_WINDOW_DAYS) * 100) / 100;
    return ctx.env.DB.prepare('UPDATE profiles SET engagement_score = ?1, interaction_frequency = ?2 WHERE user_id = ?3').bind(
      engagementScore(facts, weights),
      frequency,
      id,
    );
  });
  await ctx.env.DB.batch(updates);
  return userIds.length;
}
