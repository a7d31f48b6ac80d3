import type { Severity } from '../db/schema';

/**
 * Every audit event type, with its default severity: one stable list that the admin API,
 * the console filters and the security jobs read. Add here, never inline.
 */
export const AUDIT_EVENTS = {
  user_registered: 'info',
  registration_duplicate: 'warning',
  email_verified: 'info',
  verification_resent: 'info',
  email_verification_failed: 'warning',
  login_succeeded: 'info',
  login_failed: 'warning',
  account_locked: 'high',
  account_unlocked: 'info',
  refresh_reuse_detected: 'high',
  logout: 'info',
  logout_all: 'info',
  session_revoked: 'info',
  password_changed: 'info',
  password_reset_requested: 'info',
  password_reset: 'warning',
  otp_requested: 'info',
  otp_login: 'info',
  otp_failed: 'warning',
  mfa_enabled: 'info',
  mfa_disabled: 'warning',
  mfa_recovery_used: 'warning',
  mfa_recovery_regenerated: 'info',
  profile_updated: 'info',
  admin_user_updated: 'warning',
  admin_user_deleted: 'high',
  admin_user_restored: 'warning',
  admin_sessions_revoked: 'warning',
  admin_user_locked: 'warning',
  admin_user_deactivated: 'warning',
  admin_user_activated: 'info',
  admin_role_changed: 'high',
  admin_granted_cli: 'high',
  admin_mfa_reset: 'high',
  security_alert: 'high',
  mail_suppressed: 'warning',
  /** By a used code or link (actor: the user) or by staff (actor: the admin). */
  mail_suppression_lifted: 'info',

  // --- social layer (issue 13) ---
  follow: 'info',
  follow_requested: 'info',
  follow_approved: 'info',
  follow_rejected: 'info',
  unfollow: 'info',
  follower_removed: 'info',
  block: 'info',
  unblock: 'info',
  privacy_changed: 'info',
  settings_updated: 'info',
  professional_profile_created: 'info',
  professional_profile_updated: 'info',
  professional_profile_deleted: 'info',
  professional_profile_verified: 'warning',
  professional_profile_unverified: 'warning',
  account_suspended: 'high',
  account_unsuspended: 'warning',

  // --- coming from Django (issue 16) ---
  /** One per `npm run import-django` run that wrote (metadata: counts, collisions). */
  users_imported_cli: 'high',
} as const satisfies Record<string, Severity>;

export type AuditEventType = keyof typeof AUDIT_EVENTS;
