import type { Db } from '../db/client';
import { auditEvents, type Severity } from '../db/schema';
import { AUDIT_EVENTS, type AuditEventType } from './event-types';

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
}

const MAX_USER_AGENT = 512;

/** An insert statement for an audit event, to run alone or inside a db.batch(). */
export function auditInsert(db: Db, event: AuditInput) {
  return db.insert(auditEvents).values({
    id: crypto.randomUUID(),
    type: event.type,
    severity: event.severity ?? AUDIT_EVENTS[event.type],
    userId: event.userId ?? null,
    actorId: event.actorId ?? null,
    ip: event.ip ?? null,
    userAgent: event.userAgent?.slice(0, MAX_USER_AGENT) ?? null,
    metadata: JSON.stringify(event.metadata ?? {}),
    createdAt: new Date(event.at),
  });
}
