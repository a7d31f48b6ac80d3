import type { auditEvents } from '../db/schema';
import { eventKind } from './event-types';
import { readSeverity } from './severity';

type EventRow = typeof auditEvents.$inferSelect;

const iso = (at: Date | null) => (at ? at.toISOString() : null);

/** An event as API.md "User events" shows it; rows from before issue 14 read through the catalogue. */
export function serializeEvent(e: EventRow) {
  return {
    id: e.id,
    event_type: e.type,
    category: e.category ?? eventKind(e.type)?.category ?? null,
    severity: readSeverity(e.severity),
    description: e.description,
    success: e.success,
    error_message: e.errorMessage,
    metadata: parseMetadata(e.metadata),
    target_user: e.targetUser,
    session_id: e.sessionId,
    ip: e.ip,
    user_agent: e.userAgent,
    risk_score: e.riskScore,
    requires_review: e.requiresReview,
    reviewed_at: iso(e.reviewedAt),
    reviewed_by: e.reviewedBy,
    created_at: iso(e.createdAt),
  };
}
export type SerializedEvent = ReturnType<typeof serializeEvent>;

export function parseMetadata(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
