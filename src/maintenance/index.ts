import type { Env } from '../env';
import { clock } from '../clock';
import { getConfig } from '../config/config';
import { createDb } from '../db/client';
import { createLogger } from '../http/log';
import { describeError } from '../mail/errors';
import { isDue, type JobContext, type MaintenanceJob } from './job';
import { SCHEDULE } from './schedule';

export { CRONS } from './schedule';

/**
 * The Worker's scheduled() handler: runs the jobs of the cron that fired, one after the
 * other. A failing job is logged and does not stop the rest; the invocation then fails
 * as a whole so the Cron Events list shows it. Every job is safe to run again.
 */
export async function runScheduled(controller: ScheduledController, env: Env): Promise<void> {
  const log = createLogger({ component: 'maintenance', cron: controller.cron });
  const jobs = SCHEDULE[controller.cron]?.filter((job) => isDue(job, controller.scheduledTime));
  if (!jobs) {
    log.warn('no maintenance jobs for this cron');
    return;
  }
  let config;
  try {
    config = getConfig(env);
  } catch (err) {
    log.error('maintenance not run: configuration invalid', { error: describeError(err) });
    throw err;
  }
  const ctx: JobContext = { env, db: createDb(env.DB), config, now: clock.now(), log };
  const failed: string[] = [];
  for (const job of jobs) {
    if (!(await runJob(job, ctx, controller.cron))) failed.push(job.name);
  }
  if (failed.length) throw new Error(`maintenance jobs failed: ${failed.join(', ')}`);
}

async function runJob(job: MaintenanceJob, ctx: JobContext, cron: string): Promise<boolean> {
  const started = Date.now();
  const log = createLogger({ component: 'maintenance', cron, job: job.name });
  try {
    const report = await job.run({ ...ctx, log });
    log.info('maintenance job done', { ...report, duration_ms: Date.now() - started });
    return true;
  } catch (err) {
    log.error('maintenance job failed', { error: describeError(err), duration_ms: Date.now() - started });
    return false;
  }
}
