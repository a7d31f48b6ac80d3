import { eq } from 'drizzle-orm';
import { users, type UserRow } from '../db/schema';
import { errorSummary, maskEmail } from '../http/log';
import { sendVerificationMail } from '../registration/verify-email';
import { identityChanges, IDENTITY_FIELDS, keysTakenError } from './identity';
import { phoneReader } from '../users/phones';
import type { AuditEventType } from '../audit/event-types';
import type { AdminContext } from './context';
import { adminAudit } from './audit';
import { ROLE_RANK, type Permission } from './permissions';
import { assertMayActOn } from './roles';
import { endAllSessions, fenceSignIns } from './sessions';
import { loadTarget } from './target';
import type { UserPatch } from './schemas';
import { assertKeepsSignInKeys } from '../users/sign-in-keys';

const INVALID_PHONE = 'Enter a valid phone number in international format, e.g. +14155550123.';

/** The permissions a patch needs, field by field: managers may deactivate and nothing else. */
export function patchPermissions(patch: Record<string, unknown>): Permission[] {
  const needed = new Set<Permission>();
  if ('role' in patch) needed.add('users.change_role');
  if ('is_active' in patch) needed.add(patch.is_active === false ? 'users.deactivate' : 'users.activate');
  if ('email_verified' in patch || 'first_name' in patch || 'last_name' in patch) needed.add('users.edit');
  if (IDENTITY_FIELDS.some((field) => field in patch)) needed.add('users.edit');
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
  const identity = await identityChanges(ctx.db, target, patch, phoneReader(ctx));
  const { changes, events } = plan(target, patch, identity);
  if (events.length === 0) return target;
  // An account without an email must keep its username and phone (issue 16).
  assertKeepsSignInKeys({ ...target, ...changes });
  let updated: UserRow[];
  const at = new Date(ctx.now);
  try {
    [updated] = await ctx.db.batch([
      ctx.db.update(users).set({ ...changes, updatedAt: at }).where(eq(users.id, id)).returning(),
      ...events.map((e) => adminAudit(ctx, e.type, id, e.metadata)),
    ]);
  } catch (err) {
    // Another account took the address, username or number since identityChanges looked.
    throw keysTakenError(err) ?? err;
  }
  const demoted = changes.role !== undefined && ROLE_RANK[changes.role] < ROLE_RANK[target.role];
  // The fence is the updated_at just written (accounts/state/fence.ts).
  if (changes.isActive === false || demoted) await endAllSessions(ctx.env, id, ctx.now, at.getTime());
  else if (narrowsSignIn(changes)) await fenceSignIns(ctx.env, id, at.getTime());
  const user = updated[0] ?? { ...target, ...changes };
  if (changes.email && !user.emailVerified) await mailNewAddress(ctx, { id: user.id, email: changes.email });
  return user;
}

/**
 * Changes a sign-in must not see undone by a stale replica row (beyond those that end
 * every session): an address no longer verified, or an email, username or phone that no
 * longer names this account.
 */
function narrowsSignIn(changes: Partial<UserRow>): boolean {
  return changes.emailVerified === false || changes.email !== undefined || changes.usernameKey !== undefined || changes.phoneNumber !== undefined;
}

/** A changed address is unverified until its owner proves it: they get the code and link there. */
async function mailNewAddress(ctx: AdminContext, user: { id: string; email: string }): Promise<void> {
  try {
    await sendVerificationMail(ctx.env, user, ctx.now);
  } catch (err) {
    ctx.log.error('verification mail not queued', { user_id: user.id, email: maskEmail(user.email), ...errorSummary(err) });
  }
}

function plan(target: UserRow, patch: UserPatch, identity: Partial<UserRow>): { changes: Partial<UserRow>; events: Event[] } {
  const changes: Partial<UserRow> = { ...identity };
  const events: Event[] = [];
  if (patch.role !== undefined && patch.role !== target.role) {
    changes.role = patch.role;
    events.push({ type: 'admin_role_changed', metadata: { from: target.role, to: patch.role } });
  }
  if (patch.is_active !== undefined && patch.is_active !== target.isActive) {
    changes.isActive = patch.is_active;
    events.push({ type: patch.is_active ? 'admin_user_activated' : 'admin_user_deactivated', metadata: {} });
  }
  const edited: string[] = identityFieldsOf(identity);
  // A new address is not verified unless the same patch says so.
  if (identity.email !== undefined && patch.email_verified === undefined && target.emailVerified) changes.emailVerified = false;
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
  if (changes.emailVerified !== undefined && !edited.includes('email_verified') && identity.email !== undefined) edited.push('email_verified');
  if (edited.length > 0) events.push({ type: 'admin_user_updated', metadata: { fields: edited, ...(changes.emailVerified !== undefined ? { email_verified: changes.emailVerified } : {}) } });
  return { changes, events };
}

const identityFieldsOf = (identity: Partial<UserRow>) =>
  [identity.email !== undefined && 'email', identity.usernameKey !== undefined && 'username', identity.phoneNumber !== undefined && 'phone_number'].filter(
    (f): f is string => f !== false,
  );
