import type { ConsoleAction } from './console-action';
import { resendUserVerification, sendUserPasswordReset } from '../admin/mail-user';

/**
 * The everyday mail jobs on a user page (issue 17), behind the same confirmation page as
 * every other action. Reset two-factor and lift a mail suppression were there already.
 */
export const JOB_CONSOLE_ACTIONS = {
  send_password_reset: {
    permission: 'users.send_reset',
    label: 'Send password reset',
    question: (u) =>
      `Mail ${u.email} a password reset code? Any earlier reset code stops working. You never see the code; they set a new password with it, which ends their sessions.`,
    done: 'A password reset code is on its way.',
    offered: (d) => d.user.deleted_at === null && d.user.is_active,
    run: (ctx, id) => sendUserPasswordReset(ctx, id),
  },
  resend_verification: {
    permission: 'users.resend_verification',
    label: 'Resend verification',
    question: (u) => `Mail ${u.email} a fresh verification code and link? The earlier ones stop working.`,
    done: 'A fresh verification mail is on its way.',
    offered: (d) => d.user.deleted_at === null && !d.user.email_verified,
    run: (ctx, id) => resendUserVerification(ctx, id),
  },
} as const satisfies Record<string, ConsoleAction>;

/** What the user page says after the jobs that have pages of their own. */
export const JOB_FLASHES: Record<string, string> = {
  created: 'The account is created and a verification mail is on its way. Send a password reset so they can choose a password.',
  edited: 'The account is changed.',
};
