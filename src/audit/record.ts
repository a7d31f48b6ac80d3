import type { SQLiteInsertValue } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client';
import { auditEvents, type Severity } from '../db/schema';
import { EVENT_CATALOGUE, type AuditEventType, type EventKind } from './event-types';
import { riskColumns } from './risk-reads';

export interface AuditInput {
  type: AuditEventType;
  userId?: string | null;
  actorId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  /** Facts only: never passwords, codes, tokens or hashes. */
  metadata?: Record<string, unknown>;
  severity?: Severity;
  at: number;

  // --- user events (issue 14) ---
  description?: string;
  /** Defaults to the catalogue's: false for failure types. */
  success?: boolean;
  errorMessage?: string | null;
  targetUser?: string | null;
  sessionId?: string | null;
  /** request.cf.country, for the new-country risk signal. */
  country?: string | null;
  /** A device the account had not used: known, or the fingerprint to look up (src/audit/risk-reads.ts). */
  newDevice?: boolean | { fingerprint: string };
  /** An ingested event's event_id (unique). */
  externalId?: string | null;
}

const MAX_USER_AGENT = 512;
const MAX_TEXT = 500;

/** The row of an event: catalogue defaults, and the risk score and review flag of src/audit/risk.ts. */
export function eventValues(event: AuditInput): SQLiteInsertValue<typeof auditEvents> {
  const kind: EventKind = EVENT_CATALOGUE[event.type];
  const severity = event.severity ?? kind.severity;
  const success = event.success ?? !kind.failure;
  const ip = event.ip ?? null;
  const userId = event.userId ?? null;
  const country = event.country ?? null;
  const risk = riskColumns(
    { severity, success, sensitive: kind.sensitive ?? false },
    { ip, userId, country, newDevice: event.newDevice ?? false, at: event.at },
  );
  return {
    id: crypto.randomUUID(),
    type: event.type,
    category: kind.category,
    severity,
    userId,
    actorId: event.actorId ?? null,
    ip,
    userAgent: event.userAgent?.slice(0, MAX_USER_AGENT) ?? null,
    metadata: JSON.stringify(event.metadata ?? {}),
    createdAt: new Date(event.at),
    description: (event.description ?? '').slice(0, MAX_TEXT),
    success,
    errorMessage: event.errorMessage?.slice(0, MAX_TEXT) ?? null,
    targetUser: event.targetUser ?? null,
    sessionId: event.sessionId ?? null,
    country,
    riskScore: risk.riskScore,
    requiresReview: risk.requiresReview,
    externalId: event.externalId ?? null,
  };
}

/** An insert statement for an event, to run alone or inside a db.batch(). */
export function auditInsert(db: Db, event: AuditInput) {
  return db.insert(auditEvents).values(eventValues(event));
}
