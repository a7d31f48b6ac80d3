import type { UserState } from './accounts/state/object';
import type { RateLimiter } from './ratelimit/rate-limiter';
import type { MailJob } from './mail/types';
import type { ConfigSource } from './config/source';
import type { JobMessage } from './badges/job-types';

/** Every binding of the Worker, and (ConfigSource) every var and secret, typed once. See README "Configuration". */
export interface Env extends ConfigSource {
  DB: D1Database;
  KV: KVNamespace;
  USER_STATE: DurableObjectNamespace<UserState>;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
  MAIL_QUEUE: Queue<MailJob>;
  /** Background work other than mail: badge evaluation and its daily sweep (src/badges/jobs.ts). */
  JOBS_QUEUE: Queue<JobMessage>;
}
