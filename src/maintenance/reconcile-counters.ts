import type { JobContext, JobReport, MaintenanceJob } from './job';
import { advanceWatermark, readWatermark, type Watermark } from './watermarks';
import type { AuditEventType } from '../audit/event-types';

/** Events after which a user's follower, following or posts count may have moved. */
export const COUNT_EVENTS: AuditEventType[] = ['follow', 'follow_approved', 'unfollow', 'follower_removed', 'block', 'post_create', 'post_delete'];

export const RECONCILE_LIMITS = {
  /** Events read per page of the touched pass, and pages per run. */
  eventsPerPage: 500,
  maxPages: 10,
  /** Users recounted per statement (D1: 100 bound parameters). */
  usersPerStatement: 90,
  /** Users of the slow sweep per run: everyone, a page every 30 minutes. */
  sweepUsers: 180,
  /** Where the touched pass starts on its very first run. */
  firstLookbackMs: 3600_000,
};

const TOUCHED = 'reconcile_counters:touched';
const SWEEP = 'reconcile_counters:sweep';

/**
 * Every 30 minutes: follower, following and posts counts are recounted from their sources
 * (follows, content_items) for the users events touched since the last run (a watermark
 * over (created_at, id) of audit events), then for the next page of a slow sweep over
 * every user by id. Recounts are idempotent and the watermarks only move forward, so two
 * runs at once do the same work twice and no harm.
 */
export const reconcileCounters: MaintenanceJob = {
  name: 'reconcile_counters',
  everyMinutes: 30,
  async run(ctx: JobContext): Promise<JobReport> {
    const touched = await touchedPass(ctx);
    const sweep = await sweepPass(ctx);
    return { ...touched, ...sweep };
  },
};

async function touchedPass(ctx: JobContext) {
  const start = (await readWatermark(ctx.db, TOUCHED)) ?? { at: ctx.now - RECONCILE_LIMITS.firstLookbackMs, key: '' };
  let mark: Watermark = start;
  let users = 0;
  let events = 0;
  let pages = 0;
  let complete = false;
  const types = COUNT_EVENTS.map((t) => `'${t}'`).join(', ');
  while (pages < RECONCILE_LIMITS.maxPages) {
    const { results } = await ctx.env.DB.prepare(
      `SELECT id, created_at, user_id, actor_id, target_user FROM audit_events
       WHERE type IN (${types}) AND (created_at, id) > (?1, ?2) AND created_at <= ?3
       ORDER BY created_at, id LIMIT ?4`,
    )
      .bind(mark.at, mark.key, ctx.now, RECONCILE_LIMITS.eventsPerPage)
      .all<{ id: string; created_at: number; user_id: string | null; actor_id: string | null; target_user: string | null }>();
    pages += 1;
    events += results.length;
    const ids = new Set(results.flatMap((r) => [r.user_id, r.actor_id, r.target_user]).filter((id): id is string => Boolean(id)));
    users += await recount(ctx, [...ids]);
    const last = results.at(-1);
    if (last) {
      mark = { at: last.created_at, key: last.id };
      await advanceWatermark(ctx.db, TOUCHED, mark, ctx.now);
    }
    if (results.length < RECONCILE_LIMITS.eventsPerPage) {
      complete = true;
      break;
    }
  }
  return { touched_events: events, touched_users_recounted: users, touched_pages: pages, touched_complete: complete };
}

async function sweepPass(ctx: JobContext) {
  const start = (await readWatermark(ctx.db, SWEEP)) ?? { at: 0, key: '' };
  const { results } = await ctx.env.DB.prepare('SELECT user_id FROM profiles WHERE user_id > ?1 ORDER BY user_id LIMIT ?2')
    .bind(start.key, RECONCILE_LIMITS.sweepUsers)
    .all<{ user_id: string }>();
  const recounted = await recount(ctx, results.map((r) => r.user_id));
  const wrapped = results.length < RECONCILE_LIMITS.sweepUsers;
  // The lap number (`at`) orders the marks: a finished lap starts the next one from the first id.
  const next = wrapped ? { at: start.at + 1, key: '' } : { at: start.at, key: results.at(-1)!.user_id };
  await advanceWatermark(ctx.db, SWEEP, next, ctx.now);
  return { sweep_users_recounted: recounted, sweep_lap_finished: wrapped };
}

/** Recounts the users' counters from their sources; returns how many profiles it wrote. */
export async function recount(ctx: JobContext, userIds: string[]): Promise<number> {
  if (userIds.length === 0) return 0;
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < userIds.length; i += RECONCILE_LIMITS.usersPerStatement) {
    const chunk = userIds.slice(i, i + RECONCILE_LIMITS.usersPerStatement);
    statements.push(
      ctx.env.DB.prepare(
        `UPDATE profiles SET
           follower_count = (SELECT count(*) FROM follows WHERE followed_id = profiles.user_id AND status = 'accepted'),
           following_count = (SELECT count(*) FROM follows WHERE follower_id = profiles.user_id AND status = 'accepted'),
           posts_count = (SELECT count(*) FROM content_items WHERE user_id = profiles.user_id AND deleted_at IS NULL)
         WHERE user_id IN (SELECT value FROM json_each(?1))`,
      ).bind(JSON.stringify(chunk)),
    );
  }
  const results = await ctx.env.DB.batch(statements);
  return results.reduce((n, r) => n + (r.meta.changes ?? 0), 0);
}
