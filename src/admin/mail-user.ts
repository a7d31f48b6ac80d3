import { validationError } from '../http/errors';
import { mailCode } from '../codes/mail';
import { sendVerificationMail } from '../registration/verify-email';
import type { AdminContext } from './context';
import { adminAudit } from './audit';
import { assertMayActOn } from './roles';
import { loadTarget } from './target';

const refuse = (message: string) => validationError({ non_field_errors: [message] }, message);

/**
 * Mails the owner a password reset code, as "forgot password" would (the same code and
 * mail; the previous code dies). Staff never see the code. Not spent from the owner's
 * own forgot budget: staff act on request, and each sending is audited.
 */
export async function sendUserPasswordReset(ctx: AdminContext, id: string): Promise<void> {
  const target = await loadTarget(ctx.db, id);
  assertMayActOn(ctx.staff, target, 'users.send_reset');
  if (!target.isActive) throw refuse('This account is deactivated: a reset code would not let them in.');
  if (!target.email) throw refuse('This account has no email address to mail a code to.');
  await mailCode(ctx.env, { id: target.id, email: target.email }, 'reset', ctx.now);
  await adminAudit(ctx, 'admin_password_reset_sent', id);
}

/** Mails a fresh verification code and link (the previous pair dies) to an account not yet verified. */
export async function resendUserVerification(ctx: AdminContext, id: string): Promise<void> {
  const target = await loadTarget(ctx.db, id);
  assertMayActOn(ctx.staff, target, 'users.resend_verification');
  if (target.emailVerified) throw refuse('This address is already verified.');
  if (!target.email) throw refuse('This account has no email address to verify.');
  await sendVerificationMail(ctx.env, { id: target.id, email: target.email }, ctx.now);
  await adminAudit(ctx, 'admin_verification_resent', id);
}
