import * as z from 'zod';
import { ROLES } from '../db/schema';
import type { UserDetail } from '../admin/user-detail';
import { LOCK_MINUTES, lockReason } from '../admin/schemas';
import { lockUser, unlockUser } from '../admin/lock';
import { liftUserSuppression } from '../admin/suppression';
import { updateUser } from '../admin/update';
import { deleteUser, restoreUser, revokeUserSessions } from '../admin/lifecycle';
import { resetUserMfa } from '../admin/mfa-reset';
import { SOCIAL_CONSOLE_ACTIONS } from './social-actions';
import { JOB_CONSOLE_ACTIONS } from './job-actions';
import type { ConsoleAction } from './console-action';

export type { ConsoleAction } from './console-action';

type Input = Record<string, string>;

const live = (d: UserDetail) => d.user.deleted_at === null;
const lockInput = z.object({
  minutes: z.enum(LOCK_MINUTES.map(String) as [string, ...string[]]),
  reason: lockReason.optional().transform((r) => r ?? ''),
});
const roleInput = z.object({ role: z.enum(ROLES) });

export const CONSOLE_ACTIONS = {
  lock: {
    permission: 'users.lock',
    label: 'Lock sign-in',
    question: (u, i) =>
      `Block sign-in for ${u.email} for ${i.minutes} minutes?${i.reason ? ` Reason: ${i.reason}.` : ''} ` +
      'Password, emailed codes, password reset, second factor and refresh are all refused until it ends. ' +
      'Access tokens already issued work until they expire; deactivate to end sessions at once.',
    done: 'Sign-in is locked.',
    offered: (d) => live(d) && !d.admin_lock,
    input: lockInput,
    run: (ctx, id, i) => lockUser(ctx, id, Number(i.minutes), i.reason || null),
  },
  unlock: {
    permission: 'users.lock',
    label: 'Unlock',
    question: (u) => `Lift the admin lock and clear the failed-attempt lockout of ${u.email} so they can sign in again?`,
    done: 'The account is unlocked.',
    offered: (d) => live(d) && (d.admin_lock !== null || d.lockout.locked || d.lockout.failures > 0),
    run: (ctx, id) => unlockUser(ctx, id),
  },
  lift_suppression: {
    permission: 'users.unsuppress',
    label: 'Lift mail suppression',
    question: (u) => `Send mail to ${u.email} again? It was stopped after a bounce or complaint; codes and security notices will go out again.`,
    done: 'Mail to this address is no longer suppressed.',
    offered: (d) => live(d) && d.mail_suppression !== null,
    run: (ctx, id) => liftUserSuppression(ctx, id),
  },
  deactivate: {
    permission: 'users.deactivate',
    label: 'Deactivate',
    question: (u) => `Deactivate ${u.email}? They are signed out everywhere and cannot sign in until reactivated.`,
    done: 'The account is deactivated and signed out everywhere.',
    danger: true,
    offered: (d) => live(d) && d.user.is_active,
    run: (ctx, id) => updateUser(ctx, id, { is_active: false }),
  },
  activate: {
    permission: 'users.activate',
    label: 'Reactivate',
    question: (u) => `Reactivate ${u.email} so they can sign in again?`,
    done: 'The account is active again.',
    offered: (d) => live(d) && !d.user.is_active,
    run: (ctx, id) => updateUser(ctx, id, { is_active: true }),
  },
  verify_email: {
    permission: 'users.edit',
    label: 'Mark email verified',
    question: (u) => `Mark ${u.email} as verified without the code or link?`,
    done: 'The email address is marked verified.',
    offered: (d) => live(d) && !d.user.email_verified,
    run: (ctx, id) => updateUser(ctx, id, { email_verified: true }),
  },
  change_role: {
    permission: 'users.change_role',
    label: 'Change role',
    question: (u, i) => `Change the role of ${u.email} from ${u.role} to ${i.role}?${i.role === 'user' || (u.role === 'admin' && i.role === 'manager') ? ' A demotion signs them out everywhere.' : ''}`,
    done: 'The role is changed.',
    danger: true,
    offered: live,
    input: roleInput,
    run: (ctx, id, i) => updateUser(ctx, id, { role: i.role as (typeof ROLES)[number] }),
  },
  revoke_sessions: {
    permission: 'users.revoke_sessions',
    label: 'Sign out everywhere',
    question: (u) => `End every session of ${u.email}? Their refresh tokens stop working now; their access tokens can change nothing from now on, and read nothing within a minute.`,
    done: 'Every session is ended.',
    danger: true,
    offered: (d) => d.sessions.length > 0,
    run: (ctx, id) => revokeUserSessions(ctx, id),
  },
  reset_mfa: {
    permission: 'users.reset_mfa',
    label: 'Reset two-factor',
    question: (u) =>
      `Turn off two-factor authentication for ${u.email}? Their authenticator app and recovery codes stop working, every session ends, and they are mailed a notice. Do this only once you are sure the request comes from the owner.`,
    done: 'Two-factor authentication is reset: they can sign in with their password and set it up again.',
    danger: true,
    offered: (d) => live(d) && d.user.mfa_enabled,
    run: (ctx, id) => resetUserMfa(ctx, id),
  },
  delete: {
    permission: 'users.delete',
    label: 'Delete',
    question: (u) => `Soft-delete ${u.email}? They are signed out, cannot sign in and vanish from everything but this console until restored.`,
    done: 'The account is deleted (it can be restored).',
    danger: true,
    offered: live,
    run: (ctx, id) => deleteUser(ctx, id),
  },
  restore: {
    permission: 'users.restore',
    label: 'Restore',
    question: (u) => `Restore the deleted account ${u.email}?`,
    done: 'The account is restored.',
    offered: (d) => !live(d),
    run: (ctx, id) => restoreUser(ctx, id),
  },
  // --- social layer (issue 13) ---
  ...SOCIAL_CONSOLE_ACTIONS,
  // --- everyday jobs (issue 17) ---
  ...JOB_CONSOLE_ACTIONS,
} as const satisfies Record<string, ConsoleAction>;

export type ConsoleActionName = keyof typeof CONSOLE_ACTIONS;

export function consoleAction(name: string | undefined): (ConsoleAction & { name: ConsoleActionName }) | null {
  if (!name || !Object.hasOwn(CONSOLE_ACTIONS, name)) return null;
  return { ...(CONSOLE_ACTIONS[name as ConsoleActionName] as ConsoleAction), name: name as ConsoleActionName };
}
