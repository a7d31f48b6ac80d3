import type { Env } from '../env';
import type { Db } from '../db/client';
import type { AppVariables } from '../http/context';
import type { RequestMeta } from '../http/request-meta';
import type { StaffRole } from './permissions';

/** The admin or manager behind a request, read afresh from D1 and the session's Durable Object. */
export interface Staff {
  id: string;
  email: string;
  role: StaffRole;
  sessionId: string;
}

/** Hono env of the admin API and the console: the app's variables plus the staff member. */
export type AdminEnv = { Bindings: Env; Variables: AppVariables & { staff: Staff } };

/** Everything an admin action needs to act and to record who did it. */
export interface AdminContext {
  env: Env;
  db: Db;
  staff: Staff;
  meta: RequestMeta;
  now: number;
}
