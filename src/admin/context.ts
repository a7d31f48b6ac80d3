import type { Context } from 'hono';
import type { AppEnv } from '../http/context';
import { contextOf, type RequestContext } from '../http/request-context';
import type { Staff } from './staff-member';

export type { Staff } from './staff-member';

/** Everything an admin action needs to act and to record who did it. */
export interface AdminContext extends RequestContext {
  staff: Staff;
}

/** The admin context of a request of the admin API or the console (after their staff check). */
export function adminContext(c: Context<AppEnv>): AdminContext {
  return { ...contextOf(c), staff: c.get('staff') };
}
