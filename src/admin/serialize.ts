import type { auditEvents, devices, mailFailures, mailSuppressions, UserRow } from '../db/schema';
import type { SessionRecord } from '../accounts/state/sessions';
import { serializeUser } from '../users/serialize';
import { serializeEvent } from '../audit/serialize';

/**
 * What the admin API and console show. Built field by field from allow-lists, so a
 * column added later (a hash, a secret) never leaks by default.
 */
const iso = (at: Date | number | null | undefined) => (at === null || at === undefined ? null : new Date(at).toISOString());

export function adminUser(user: UserRow) {
  return {
    ...serializeUser(user),
    password_changed_at: iso(user.passwordChangedAt),
    updated_at: iso(user.updatedAt),
    deleted_at: iso(user.deletedAt),
  };
}
export type AdminUser = ReturnType<typeof adminUser>;

export function adminSession(s: SessionRecord) {
  return {
    id: s.id,
    created_at: iso(s.createdAt),
    last_seen_at: iso(s.lastSeenAt),
    expires_at: iso(Math.min(s.expiresAt, s.absoluteExpiresAt)),
    ip: s.ip,
    user_agent: s.userAgent,
    device: s.device,
  };
}

export function adminDevice(d: typeof devices.$inferSelect) {
  return { id: d.id, device_type: d.deviceType, browser: d.browser, os: d.os, first_seen_at: iso(d.firstSeenAt), last_seen_at: iso(d.lastSeenAt) };
}

/** The contract's event fields, plus who it is about and who did it, the review note and the alert time. */
export function adminEvent(e: typeof auditEvents.$inferSelect) {
  return {
    ...serializeEvent(e),
    type: e.type,
    user_id: e.userId,
    actor_id: e.actorId,
    review_note: e.reviewNote,
    alerted_at: iso(e.alertedAt),
  };
}
export type AdminEvent = ReturnType<typeof adminEvent>;

export function adminMailFailure(f: typeof mailFailures.$inferSelect) {
  return {
    id: f.id,
    message_id: f.messageId,
    template: f.template,
    recipient: f.recipient,
    user_id: f.userId,
    error: f.error,
    attempts: f.attempts,
    created_at: iso(f.createdAt),
  };
}
export type AdminMailFailure = ReturnType<typeof adminMailFailure>;

export function adminSuppression(s: typeof mailSuppressions.$inferSelect) {
  return { email: s.email, kind: s.kind, reason: s.reason, diagnostic: s.diagnostic, created_at: iso(s.createdAt) };
}
