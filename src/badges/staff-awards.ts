import type { AdminContext } from '../admin/context';
import { ApiError } from '../http/errors';
import { findUserByAnyKey } from './user-lookup';
import { findBadge } from './definitions';
import { awardBadge, revokeBadge } from './awards';

/** Staff award a badge (by id or slug) to a user (by id, email or username): the one award function, with who and why. */
export async function awardByStaff(ctx: AdminContext, user: string, badgeKey: string, reason: string) {
  const target = await findUserByAnyKey(ctx.db, user);
  if (!target) throw new ApiError('not_found', 'There is no such user.');
  const badge = await findBadge(ctx.db, badgeKey, true);
  const { row, created } = await awardBadge(ctx, { userId: target.id, badge, by: { staffId: ctx.staff.id, staffRole: ctx.staff.role }, reason });
  return { row, badge, created };
}

export function revokeByStaff(ctx: AdminContext, userBadgeId: string, reason: string) {
  return revokeBadge(ctx, userBadgeId, { staffId: ctx.staff.id, staffRole: ctx.staff.role }, reason);
}
