/** A mail job as it travels through the queue. Rendering happens in the consumer. */
export interface MailTemplates {
  verify_email: { code: string; link: string; code_minutes: number; link_hours: number };
  welcome: { first_name: string };
  /** Sent instead of a second account when enumeration protection is on. */
  account_exists: { reset_hint: string };
  lockout_notice: { minutes: number };
  new_sign_in: { ip: string; user_agent: string; time: string };
  login_code: { code: string; minutes: number };
  password_reset_code: { code: string; minutes: number };
  password_changed: { time: string };
  /** A human phrase, e.g. "two-factor authentication was turned on". */
  mfa_changed: { change: string };
  /** To admins, once per open alert (src/maintenance). `summary` is one sentence of facts. */
  security_alert: { alert: string; summary: string; time: string };

  // --- social layer (issue 13) ---
  /** To the owner when staff verify or unverify their professional profile; `note` may be empty. */
  professional_verification: { outcome: 'verified' | 'unverified'; company_name: string; note: string };

  // --- badges (issue 15) ---
  /** To the owner when they earn a badge (only with email_notifications on). */
  badge_earned: { badge_name: string; description: string; points: number };
  // --- user events (issue 14) ---
  /** To admins, every 5 minutes at most: events that are critical or flagged for review, one line each. */
  events_review: { count: number; lines: string; time: string };
}

export type MailTemplate = keyof MailTemplates;

export type MailJob = {
  [T in MailTemplate]: {
    /** Unique per job: the idempotency key of the consumer. */
    id: string;
    template: T;
    to: string;
    user_id: string | null;
    data: MailTemplates[T];
    created_at: number;
  };
}[MailTemplate];
