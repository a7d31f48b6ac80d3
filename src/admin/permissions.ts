import type { Role } from '../db/schema';

/** Roles that may use the admin API and console at all. */
export const STAFF_ROLES = ['admin', 'manager'] as const satisfies readonly Role[];
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * What each staff role may do: the one table both the API and the console read.
 * Managers look, lock and unlock, deactivate, and lift a mail suppression (a support
 * desk's fix, like unlock: it changes no identity, role or data, and the next real
 * bounce suppresses again); changing roles, editing accounts, reactivating, deleting,
 * restoring, signing people out and resetting two-factor are the admins'.
 */
const GRANTS = {
  admin: [
    'users.read',
    'users.lock',
    'users.deactivate',
    'users.activate',
    'users.edit',
    'users.change_role',
    'users.delete',
    'users.restore',
    'users.revoke_sessions',
    'users.reset_mfa',
    'audit.read',
    'mail.read',
    'users.unsuppress',
    // --- social layer (issue 13) ---
    'users.suspend',
    'professional.verify',
    // --- console everyday jobs (issue 17) ---
    'users.create',
    'users.send_reset',
    'users.resend_verification',
    // --- badges (issue 15) ---
    'badges.read',
    'badges.manage',
    'badges.award',
    // --- user events (issue 14) ---
    'audit.review',
    // --- daily report (issue 14) ---
    'stats.read',
  ],
  // Suspending is a support desk's act like locking; verifying a business is the admins'.
  // Reviewing a flagged event is triage, like reading the log: managers too.
  // Mailing the owner a reset code or a fresh verification, like lifting a suppression, changes no identity or data.
  manager: ['users.read', 'users.lock', 'users.deactivate', 'audit.read', 'mail.read', 'users.unsuppress', 'users.suspend', 'users.send_reset', 'users.resend_verification', 'badges.read', 'audit.review', 'stats.read'],
} as const;

export type Permission = (typeof GRANTS.admin)[number];

export function isStaffRole(role: Role): role is StaffRole {
  return (STAFF_ROLES as readonly Role[]).includes(role);
}

export function can(role: Role, permission: Permission): boolean {
  return isStaffRole(role) && (GRANTS[role] as readonly Permission[]).includes(permission);
}

/** How much a role may do, to tell a promotion from a demotion. */
export const ROLE_RANK: Record<Role, number> = { user: 0, manager: 1, admin: 2 };
