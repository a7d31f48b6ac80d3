import type { Env } from '../env';
import type { Config } from '../config/config';
import type { Db } from '../db/client';
import type { Logger } from '../http/log';

/** What every job gets: bindings, parsed config, one "now" for the whole run, a logger. */
export const DAY_MS = 24 * 3600 * 1000;

export interface JobContext {
  env: Env;
  db: Db;
  config: Config;
  now: number;
  log: Logger;
}

/** Counts of what a job did, logged as is: numbers only, never personal data. */
export type JobReport = Record<string, number | boolean>;

export interface MaintenanceJob {
  name: string;
  /**
   * Runs on every firing of its cron when absent. Set on a job of the five-minute cron, it
   * runs only on firings whose minute of the day is a multiple of it (20 → :00, :20, :40), so
   * a job wanting "every 20 minutes" needs no trigger of its own (Cloudflare caps them).
   */
  everyMinutes?: number;
  run(ctx: JobContext): Promise<JobReport>;
}

/** Whether a job is due on the cron firing scheduled for `scheduledTime`. */
export function isDue(job: MaintenanceJob, scheduledTime: number): boolean {
  if (!job.everyMinutes) return true;
  const minuteOfDay = Math.floor((scheduledTime % DAY_MS) / 60_000);
  return minuteOfDay % job.everyMinutes === 0;
}

