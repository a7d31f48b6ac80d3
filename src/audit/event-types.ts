import type { Severity } from '../db/schema';

export const EVENT_CATEGORIES = ['account', 'security', 'profile', 'social', 'badge', 'content', 'client'] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];

export interface EventKind {
  category: EventCategory;
  /** Default severity; a recorder may raise it for one event. */
  severity: Severity;
  /** What the event means, for the README's table. */
  about: string;
  /** Clients may post it (POST /events). Only client-category types are. */
  client?: true;
  /** Other services may send it (POST /internal/events). */
  ingest?: true;
  /** Recorded as a failure (success = false). */
  failure?: true;
  /** Always flagged for review whatever its risk score (src/audit/risk.ts). */
  sensitive?: true;
}

const kind = (category: EventCategory, severity: Severity, about: string, extra: Omit<EventKind, 'category' | 'severity' | 'about'> = {}): EventKind => ({
  category,
  severity,
  about,
  ...extra,
});

/**
 * THE catalogue: every event type the store holds, with its category and default
 * severity. The admin API, the console filters, the security jobs, POST /events, the
 * ingestion route and the README's events table (npm run docs:events) all read it.
 * Add here, never inline.
 */
export const EVENT_CATALOGUE = {
  // account
  user_registered: kind('account', 'low', 'An account was created'),
  registration_duplicate: kind('account', 'medium', 'Someone registered an address that already has an account'),
  email_verified: kind('account', 'low', 'The address was verified'),
  verification_resent: kind('account', 'low', 'The verification mail was sent again'),
  email_verification_failed: kind('account', 'medium', 'A wrong verification code', { failure: true }),
  login_succeeded: kind('account', 'low', 'Signed in'),
  logout: kind('account', 'low', 'Signed out'),
  logout_all: kind('account', 'low', 'Signed out everywhere'),
  session_revoked: kind('account', 'low', 'One session ended by its owner'),
  password_changed: kind('account', 'low', 'Password changed'),
  password_reset_requested: kind('account', 'low', 'A reset code was requested'),
  password_reset: kind('account', 'medium', 'Password reset with an emailed code'),
  otp_requested: kind('account', 'low', 'A sign-in code was requested'),
  otp_login: kind('account', 'low', 'Signed in with an emailed code'),
  mail_suppressed: kind('account', 'medium', 'Mail to the address stopped after a bounce or complaint'),
  mail_suppression_lifted: kind('account', 'low', 'Mail to the address resumed (a used code or link, or staff)'),
  // security
  login_failed: kind('security', 'medium', 'A failed sign-in', { failure: true }),
  otp_failed: kind('security', 'medium', 'A wrong emailed code', { failure: true }),
  account_locked: kind('security', 'high', 'Locked after failed sign-ins'),
  account_unlocked: kind('security', 'low', 'Unlocked'),
  refresh_reuse_detected: kind('security', 'high', 'A used refresh token came back: the session was revoked', { sensitive: true }),
  mfa_enabled: kind('security', 'low', 'Two-factor turned on'),
  mfa_disabled: kind('security', 'medium', 'Two-factor turned off', { sensitive: true }),
  mfa_recovery_used: kind('security', 'medium', 'A recovery code was used'),
  mfa_recovery_regenerated: kind('security', 'low', 'New recovery codes'),
  security_alert: kind('security', 'high', 'The security analysis opened an alert'),
  admin_user_updated: kind('security', 'medium', 'Staff edited the account'),
  admin_user_deleted: kind('security', 'high', 'Staff deleted the account'),
  admin_user_restored: kind('security', 'medium', 'Staff restored the account'),
  admin_sessions_revoked: kind('security', 'medium', 'Staff signed the account out everywhere'),
  admin_user_locked: kind('security', 'medium', 'Staff locked the account'),
  admin_user_deactivated: kind('security', 'medium', 'Staff deactivated the account'),
  admin_user_activated: kind('security', 'low', 'Staff reactivated the account'),
  admin_role_changed: kind('security', 'high', 'Staff changed the role', { sensitive: true }),
  admin_granted_cli: kind('security', 'high', 'Admin rights granted from the command line'),
  admin_mfa_reset: kind('security', 'high', 'Staff reset two-factor'),
  users_imported_cli: kind('security', 'high', 'Accounts imported from a Django dump (npm run import-django; metadata: counts, collisions)'),
  admin_user_created: kind('security', 'medium', 'Staff created the account (the owner sets a password through a reset)'),
  admin_password_reset_sent: kind('security', 'medium', 'Staff mailed the owner a password reset code'),
  admin_verification_resent: kind('account', 'low', 'Staff mailed the owner a fresh verification code and link'),
  account_suspended: kind('security', 'high', 'Staff suspended the account'),
  account_unsuspended: kind('security', 'medium', 'Staff lifted the suspension'),
  event_reviewed: kind('security', 'low', 'Staff reviewed a flagged event'),
  // profile
  profile_updated: kind('profile', 'low', 'Profile or account fields changed'),
  privacy_changed: kind('profile', 'low', 'Profile visibility changed'),
  settings_updated: kind('profile', 'low', 'Settings changed'),
  professional_profile_created: kind('profile', 'low', 'Professional profile created'),
  professional_profile_updated: kind('profile', 'low', 'Professional profile changed'),
  professional_profile_deleted: kind('profile', 'low', 'Professional profile deleted'),
  professional_profile_verified: kind('profile', 'medium', 'Staff verified the professional profile'),
  professional_profile_unverified: kind('profile', 'medium', 'The professional profile lost its verification'),
  // social
  follow: kind('social', 'low', 'A follow (subject: the followed user)'),
  follow_requested: kind('social', 'low', 'A request to follow a private profile'),
  follow_approved: kind('social', 'low', 'A follow request approved'),
  follow_rejected: kind('social', 'low', 'A follow request rejected'),
  unfollow: kind('social', 'low', 'An unfollow'),
  follower_removed: kind('social', 'low', 'A follower removed'),
  block: kind('social', 'low', 'A block (subject: the blocked user; never shown to them)'),
  unblock: kind('social', 'low', 'A block lifted'),
  // badge (awarded by the badges capability)
  badge_earned: kind('badge', 'low', 'A badge awarded'),
  badge_revoked: kind('badge', 'medium', 'A badge taken back by staff'),
  badge_featured: kind('badge', 'low', 'A badge featured on the profile'),
  badge_created: kind('badge', 'low', 'Staff defined a badge'),
  badge_updated: kind('badge', 'low', 'Staff changed a badge definition'),
  badge_deleted: kind('badge', 'medium', 'Staff deleted a badge definition'),
  // content (reported by other services through POST /internal/events)
  post_create: kind('content', 'low', 'A post published', { ingest: true }),
  post_delete: kind('content', 'low', 'A post deleted', { ingest: true }),
  comment_create: kind('content', 'low', 'A comment written', { ingest: true }),
  comment_delete: kind('content', 'low', 'A comment deleted', { ingest: true }),
  like: kind('content', 'low', 'A like given', { ingest: true }),
  unlike: kind('content', 'low', 'A like taken back', { ingest: true }),
  share: kind('content', 'low', 'Content shared', { ingest: true }),
  review_create: kind('content', 'low', 'A review written', { ingest: true }),
  helpful_vote: kind('content', 'low', 'A review voted helpful', { ingest: true }),
  content_reported: kind('content', 'medium', 'Content reported to moderators', { ingest: true }),
  // client (posted by apps through POST /events)
  page_view: kind('client', 'low', 'A page or screen viewed', { client: true }),
  feature_used: kind('client', 'low', 'A feature used', { client: true }),
  search: kind('client', 'low', 'A search run', { client: true }),
  app_open: kind('client', 'low', 'The app opened', { client: true }),
  profile_view: kind('client', 'low', 'A profile viewed', { client: true }),
  notification_opened: kind('client', 'low', 'A notification opened', { client: true }),
  share_click: kind('client', 'low', 'A share button used', { client: true }),
  client_error: kind('client', 'low', 'An error the client reports', { client: true, failure: true }),
} as const satisfies Record<string, EventKind>;

export type AuditEventType = keyof typeof EVENT_CATALOGUE;
export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as AuditEventType[];

/** Each type's default severity (the map older modules read). */
export const AUDIT_EVENTS = Object.fromEntries(EVENT_TYPES.map((type) => [type, EVENT_CATALOGUE[type].severity])) as Record<AuditEventType, Severity>;

export function isEventType(type: string): type is AuditEventType {
  return Object.hasOwn(EVENT_CATALOGUE, type);
}

export function eventKind(type: string): EventKind | undefined {
  return isEventType(type) ? EVENT_CATALOGUE[type] : undefined;
}

/** The types of a category: category filters match `type IN (…)`, so rows from before the column match too. */
export function typesOf(category: EventCategory): AuditEventType[] {
  return EVENT_TYPES.filter((type) => EVENT_CATALOGUE[type].category === category);
}

export const CLIENT_EVENT_TYPES = EVENT_TYPES.filter((type) => (EVENT_CATALOGUE[type] as EventKind).client);
export const INGEST_EVENT_TYPES = EVENT_TYPES.filter((type) => (EVENT_CATALOGUE[type] as EventKind).ingest);
