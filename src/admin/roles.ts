import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../http/errors';
import type { UserRow } from '../db/schema';
import { can, type Permission } from './permissions';
import type { Staff } from './context';
import type { AppEnv } from '../http/context';

type Needed = Permission | ((c: Context<AppEnv>) => Permission[] | Promise<Permission[]>);

/**
 * The one role check of the admin API and the console: the staff member on the context
 * (put there by the API's token check or the console's session check) must hold every
 * permission the route needs, else 403.
 */
export function authorize(needed: Needed): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const staff = c.get('staff');
    const permissions = typeof needed === 'function' ? await needed(c) : [needed];
    if (!staff || !permissions.every((p) => can(staff.role, p))) throw new ApiError('forbidden');
    await next();
  };
}

/**
 * Actions nobody may take on their own account: they would lock out the last admin too
 * easily, or (two-factor reset) let a stolen admin token strip the admin's own second factor.
 */
const NOT_ON_SELF: ReadonlySet<Permission> = new Set(['users.lock', 'users.deactivate', 'users.change_role', 'users.delete', 'users.reset_mfa']);

/** Who may act on whom: managers only on plain users, nobody locks, deactivates, demotes or deletes themselves. */
export function assertMayActOn(staff: Staff, target: Pick<UserRow, 'id' | 'role'>, permission: Permission): void {
  if (!can(staff.role, permission)) throw new ApiError('forbidden');
  if (staff.role !== 'admin' && target.role !== 'user') throw new ApiError('forbidden', 'Managers can act only on accounts with the user role.');
  if (target.id === staff.id && NOT_ON_SELF.has(permission)) throw new ApiError('forbidden', 'You cannot do this to your own account.');
}
