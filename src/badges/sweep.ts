import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import { users } from '../db/schema';
import type { RequestContext } from '../http/request-context';
import type { JobContext, JobReport, MaintenanceJob } from '../maintenance/job';
import type { JobMessage } from './job-types';

/**
 * Users per sweep page. One page is one D1 read and one sendBatch (at most 100 messages),
 * and each user is then evaluated in a message of their own: no invocation reads more than
 * a page, whatever the number of users.
 */
export const SWEEP_PAGE_SIZE = 100;

/** Fans one page of live users out as evaluate messages, and queues the page after it. */
export async function sweepPage(ctx: Pick<RequestContext, 'db' | 'env'>, after: string | null, pageSize: number): Promise<number> {
  const size = Math.max(1, Math.min(SWEEP_PAGE_SIZE, pageSize));
  const rows = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(and(isNull(users.deletedAt), eq(users.isActive, true), after ? gt(users.id, after) : undefined))
    .orderBy(asc(users.id))
    .limit(size);
  const messages: { body: JobMessage; contentType: 'json' }[] = rows.map((r) => ({ body: { kind: 'evaluate_badges', user_id: r.id, facts: null }, contentType: 'json' }));
  if (rows.length === size) messages.push({ body: { kind: 'badge_sweep_page', after: rows[rows.length - 1]!.id, page_size: size }, contentType: 'json' });
  // sendBatch takes at most 100 messages.
  for (let i = 0; i < messages.length; i += 100) await ctx.env.JOBS_QUEUE.sendBatch(messages.slice(i, i + 100));
  return rows.length;
}

/** The daily sweep: starts the first page; the queue carries it through every user. */
export const badgeSweep: MaintenanceJob = {
  name: 'badge_sweep',
  async run(ctx: JobContext): Promise<JobReport> {
    await ctx.env.JOBS_QUEUE.send({ kind: 'badge_sweep_page', after: null, page_size: SWEEP_PAGE_SIZE }, { contentType: 'json' });
    return { started: true };
  },
};
