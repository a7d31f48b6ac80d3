import { eq } from 'drizzle-orm';
import { users, type UserRow } from '../db/schema';
import type { AuditEventType } from '../audit/event-types';
import type { AdminContext } from './context';
import { adminAudit } from './audit';
import { ROLE_RANK, type Permission } from './permissions';
import { assertMayActOn } from './roles';
import { endAllSessions } from './sessions';
import { loadTarget } from './target';
import type { UserPatch } from './schemas';

/** The permissions a patch needs, field by field: managers may deactivate and nothing else. */
export function patchPermissions(patch: Record<string, unknown>): Permission[] {
  const needed = new Set<Permission>();
  if ('role' in patch) needed.add('users.change_role');
  if ('is_active' in patch) needed.add(patch.is_active === false ? 'users.deactivate' : 'users.activate');
  if ('email_verified' in patch || 'first_name' in patch || 'last_name' in patch) needed.add('users.edit');
  return [...needed];
}

type Event = { type: AuditEventType; metadata: Record<string, unknown> };

/**
 * Applies an admin's patch in one batch with one audit event per kind of change. A
 * deactivation or a demotion also ends every session, so the next refresh fails and the
 * account must sign in again (and gets its new role); a promotion shows at the next refresh.
 */
export async function updateUser(ctx: AdminContext, id: string, patch: UserPatch): Promise<UserRow> {
  const target = await loadTarget(ctx.db, id);
  for (const permission of patchPermissions(patch)) assertMayActOn(ctx.staff, target, permission);
  const { changes, events } = plan(target, patch);
  if (events.length === 0) return target;
  const [updated] = await ctx.db.batch([
    ctx.db.update(users).set({ ...changes, updatedAt: new Date(ctx.now) }).where(eq(users.id, id)).returning(),
    ...events.map((e) => adminAudit(ctx, e.type, id, e.metadata)),
  ]);
  const demoted = changes.role !== undefined && ROLE_RANK[changes.role] < ROLE_RANK[target.role];
  if (changes.isActive === false || demoted) await endAllSessions(ctx.env, id, ctx.now);
  return updated[0] ?? { ...target, ...changes };
}

function plan(target: UserRow, patch: UserPatch): { changes: Partial<UserRow>; events: Event[] } {
  const changes: Partial<UserRow> = {};
  const events: Event[] = [];
  if (patch.role !== undefined && patch.role !== target.role) {
    changes.role = patch.role;
    events.push({ type: 'admin_role_changed', metadata: { from: target.role, to: patch.role } });
  }
  if (patch.is_active !== undefined && patch.is_active !== target.isActive) {
    changes.isActive = patch.is_active;
    events.push({ type: patch.is_active ? 'admin_user_activated' : 'admin_user_deactivated', metadata: {} });
  }
  const edited: string[] = [];
  if (patch.email_verified !== undefined && patch.email_verified !== target.emailVerified) {
    changes.emailVerified = patch.email_verified;
    edited.push('email_verified');
  }
  if (patch.first_name !== undefined && patch.first_name !== target.firstName) {
    changes.firstName = patch.first_name;
    edited.push('first_name');
  }
  if (patch.last_name !== undefined && patch.last_name !== target.lastName) {
    changes.lastName = patch.last_name;
    edited.push('last_name');
  }
  if (edited.length > 0) events.push({ type: 'admin_user_updated', metadata: { fields: edited, ...(changes.emailVerified !== undefined ? { email_verified: changes.emailVerified } : {}) } });
  return { changes, events };
}
