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
import { getConfig } from '../config/config';
import { ApiError, validationError } from '../http/errors';
import { normalizePhone } from '../users/normalize';
import { takenKeys, uniqueViolation } from '../users/queries';
import { assertKeepsSignInKeys } from '../users/sign-in-keys';

const INVALID_PHONE = 'Enter a valid phone number in international format, e.g. +14155550123.';

/** The permissions a patch needs, field by field: managers may deactivate and nothing else. */
export function patchPermissions(patch: Record<string, unknown>): Permission[] {
  const needed = new Set<Permission>();
  if ('role' in patch) needed.add('users.change_role');
  if ('is_active' in patch) needed.add(patch.is_active === false ? 'users.deactivate' : 'users.activate');
  if (['email_verified', 'first_name', 'last_name', 'email', 'phone_number'].some((field) => field in patch)) needed.add('users.edit');
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
  const { changes, events } = plan(target, patch, getConfig(ctx.env).defaultPhoneRegion);
  if (events.length === 0) return target;
  assertKeepsSignInKeys({ ...target, ...changes });
  await assertKeysFree(ctx, id, changes);
  let updated: UserRow[];
  try {
    [updated] = await ctx.db.batch([
      ctx.db.update(users).set({ ...changes, updatedAt: new Date(ctx.now) }).where(eq(users.id, id)).returning(),
      ...events.map((e) => adminAudit(ctx, e.type, id, e.metadata)),
    ]);
  } catch (err) {
    // Another account took the address or number between the check and the write.
    const key = uniqueViolation(err);
    if (key === 'email') throw new ApiError('email_taken');
    if (key === 'phoneNumber') throw new ApiError('phone_taken');
    throw err;
  }
  const demoted = changes.role !== undefined && ROLE_RANK[changes.role] < ROLE_RANK[target.role];
  if (changes.isActive === false || demoted) await endAllSessions(ctx.env, id, ctx.now);
  return updated[0] ?? { ...target, ...changes };
}

/** 409 when another account (soft-deleted ones included) holds the new address or number. */
async function assertKeysFree(ctx: AdminContext, id: string, changes: Partial<UserRow>): Promise<void> {
  const taken = await takenKeys(ctx.db, { email: changes.email ?? null, usernameKey: null, phoneNumber: changes.phoneNumber ?? null }, id);
  if (taken.has('email')) throw new ApiError('email_taken');
  if (taken.has('phoneNumber')) throw new ApiError('phone_taken');
}

function plan(target: UserRow, patch: UserPatch, phoneRegion: string): { changes: Partial<UserRow>; events: Event[] } {
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
  if (patch.email !== undefined && patch.email !== target.email) {
    changes.email = patch.email;
    edited.push('email');
  }
  // A new address is unverified until its owner proves it, unless the admin says otherwise.
  const emailVerified = patch.email_verified ?? (changes.email ? false : undefined);
  if (emailVerified !== undefined && emailVerified !== target.emailVerified) {
    changes.emailVerified = emailVerified;
    edited.push('email_verified');
  }
  if (patch.phone_number !== undefined) {
    const phone = patch.phone_number ? normalizePhone(patch.phone_number, phoneRegion) : null;
    if (patch.phone_number && !phone) throw validationError({ phone_number: [INVALID_PHONE] });
    if (phone !== target.phoneNumber) {
      changes.phoneNumber = phone;
      edited.push('phone_number');
    }
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
