import { eq } from 'drizzle-orm';
import * as z from 'zod';
import { profiles } from '../db/schema';
import type { AdminContext } from '../admin/context';
import { adminAudit } from '../admin/audit';
import { assertMayActOn } from '../admin/roles';
import { loadTarget } from '../admin/target';

export const suspendBody = z.object({
  reason: z.string().trim().min(1, 'This field may not be blank.').max(500, 'Ensure this field has no more than 500 characters.'),
});

/**
 * Suspends the account: it keeps its sessions and may sign in and read, but every social
 * write answers 403 account_suspended and others see it as a user that never existed.
 */
export async function suspendUser(ctx: AdminContext, id: string, reason: string) {
  const target = await loadTarget(ctx.db, id);
  assertMayActOn(ctx.staff, target, 'users.suspend');
  const [rows] = await ctx.db.batch([
    ctx.db.update(profiles).set({ isSuspended: true, suspensionReason: reason, updatedAt: new Date(ctx.now) }).where(eq(profiles.userId, id)).returning(),
    adminAudit(ctx, 'account_suspended', id, { reason }),
  ]);
  return suspensionState(id, rows[0]);
}

export async function unsuspendUser(ctx: AdminContext, id: string) {
  const target = await loadTarget(ctx.db, id);
  assertMayActOn(ctx.staff, target, 'users.suspend');
  const [rows] = await ctx.db.batch([
    ctx.db.update(profiles).set({ isSuspended: false, suspensionReason: '', updatedAt: new Date(ctx.now) }).where(eq(profiles.userId, id)).returning(),
    adminAudit(ctx, 'account_unsuspended', id),
  ]);
  return suspensionState(id, rows[0]);
}

function suspensionState(id: string, row: { isSuspended: boolean; suspensionReason: string } | undefined) {
  return { user_id: id, is_suspended: row?.isSuspended ?? false, suspension_reason: row?.suspensionReason ?? '' };
}
