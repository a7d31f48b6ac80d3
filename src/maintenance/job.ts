import type { Env } from '../env';
import type { Config } from '../config/config';
import type { Db } from '../db/client';
import type { Logger } from '../http/log';

/** What every job gets: bindings, parsed config, one "now" for the whole run, a logger. */
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
  run(ctx: JobContext): Promise<JobReport>;
}

export const DAY_MS = 24 * 3600 * 1000;
