import type { MailJob } from './mail/types';
import type { ConfigSource } from './config/source';
import type { JobMessage } from './badges/job-types';

/**
 * Every binding of the Worker, and (ConfigSource) every var and secret, typed once. See README "Configuration".
 * The bindings come from `wrangler types` (worker-configuration.d.ts, generated from wrangler.toml by
 * `npm run types`; `npm run check:types-current` fails when it is stale). Vars and secrets are
 * ConfigSource's, all optional strings because production checks them (config/config.ts). The queue's
 * message type is ours: wrangler cannot know it.
 */
export interface Env extends ConfigSource, Omit<WorkerBindings, keyof ConfigSource | 'MAIL_QUEUE' | 'JOBS_QUEUE'> {
  MAIL_QUEUE: Queue<MailJob>;
  /** Background work other than mail: badge evaluation and its daily sweep (src/badges/jobs.ts). */
  JOBS_QUEUE: Queue<JobMessage>;
}
