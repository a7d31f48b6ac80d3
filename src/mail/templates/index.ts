import type { MailJob, MailTemplate, MailTemplates } from '../types';
import type { AppInfo, MailContent, RenderedMail } from './content';
import { renderHtml } from './render-html';
import { renderText } from './render-text';
import { verifyEmail } from './verify-email';
import { accountExists, welcome } from './account';
import { loginCode, passwordResetCode } from './codes';
import { lockoutNotice, mfaChanged, newSignIn, passwordChanged } from './security';
import { eventsReview, securityAlert } from './admin';
import { professionalVerification } from './professional';
import { badgeEarned } from './badges';

export { MailRenderError, type AppInfo, type RenderedMail } from './content';
export { escapeHtml } from './render-html';

const TEMPLATES: { [T in MailTemplate]: (data: MailTemplates[T], app: AppInfo) => MailContent } = {
  verify_email: verifyEmail,
  welcome,
  account_exists: accountExists,
  lockout_notice: lockoutNotice,
  new_sign_in: newSignIn,
  login_code: loginCode,
  password_reset_code: passwordResetCode,
  password_changed: passwordChanged,
  mfa_changed: mfaChanged,
  security_alert: securityAlert,
  professional_verification: professionalVerification,
  badge_earned: badgeEarned,
  events_review: eventsReview,
};

/** A job's subject and its text and HTML bodies. Throws MailRenderError on unusable data. */
export function renderMail(job: MailJob, app: AppInfo): RenderedMail {
  const template = TEMPLATES[job.template] as (data: MailJob['data'], app: AppInfo) => MailContent;
  const content = template(job.data, app);
  return { subject: content.subject, text: renderText(content, app), html: renderHtml(content, app) };
}
