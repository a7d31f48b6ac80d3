import { eq } from 'drizzle-orm';
import { users, type UserRow } from '../db/schema';
import type { AdminContext } from './context';
import { adminAudit } from './audit';
import { assertMayActOn } from './roles';
import { endAllSessions } from './sessions';
import { loadTarget } from './target';

/** Soft delete: the account can no longer sign in and is invisible outside the admin API; its sessions end. */
export async function deleteUser(ctx: AdminContext, id: string): Promise<void> {
  const target = await loadTarget(ctx.db, id, 'live');
  assertMayActOn(ctx.staff, target, 'users.delete');
  const at = new Date(ctx.now);
  await ctx.db.batch([ctx.db.update(users).set({ deletedAt: at, updatedAt: at }).where(eq(users.id, id)), adminAudit(ctx, 'admin_user_deleted', id)]);
  // A replica's row from before the deletion must not sign anyone in.
  await endAllSessions(ctx.env, id, ctx.now, at.getTime());
}

/** Undoes a soft delete. Its email, username and phone were never released, so nothing can clash. */
export async function restoreUser(ctx: AdminContext, id: string): Promise<UserRow> {
  const target = await loadTarget(ctx.db, id, 'deleted');
  assertMayActOn(ctx.staff, target, 'users.restore');
  const [updated] = await ctx.db.batch([
    ctx.db.update(users).set({ deletedAt: null, updatedAt: new Date(ctx.now) }).where(eq(users.id, id)).returning(),
    adminAudit(ctx, 'admin_user_restored', id, { deleted_at: target.deletedAt?.toISOString() ?? null }),
  ]);
  return updated[0] ?? { ...target, deletedAt: null };
}

/** Signs an account out everywhere: every refresh token dies now; access tokens can change nothing from now on and read nothing within a minute. */
export async function revokeUserSessions(ctx: AdminContext, id: string): Promise<number> {
  const target = await loadTarget(ctx.db, id, 'any');
  assertMayActOn(ctx.staff, target, 'users.revoke_sessions');
  const revoked = await endAllSessions(ctx.env, id, ctx.now);
  await adminAudit(ctx, 'admin_sessions_revoked', id, { sessions: revoked });
  return revoked;
}
