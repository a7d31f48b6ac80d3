import { and, desc, eq, gte, inArray, isNotNull, isNull, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditEvents } from '../db/schema';
import type { AuditListQuery } from './schemas';
import { offsetOf } from './pagination';
import { storedSeverities } from '../audit/severity';
import { typesOf } from '../audit/event-types';

/**
 * Each filter leads one of audit_events' (column, created_at) indexes; newest first.
 * Severity and category also match rows from before issue 14 (info/warning, no category).
 */
export function auditListWhere(query: AuditListQuery) {
  return and(
    query.user ? eq(auditEvents.userId, query.user) : undefined,
    query.actor ? eq(auditEvents.actorId, query.actor) : undefined,
    query.type ? eq(auditEvents.type, query.type) : undefined,
    query.severity ? inArray(auditEvents.severity, storedSeverities(query.severity)) : undefined,
    query.since === undefined ? undefined : gte(auditEvents.createdAt, new Date(query.since)),
    query.until === undefined ? undefined : lte(auditEvents.createdAt, new Date(query.until)),
    query.category ? inArray(auditEvents.type, typesOf(query.category)) : undefined,
    query.requires_review === undefined ? undefined : eq(auditEvents.requiresReview, query.requires_review),
    query.reviewed === undefined ? undefined : query.reviewed ? isNotNull(auditEvents.reviewedAt) : isNull(auditEvents.reviewedAt),
    query.target_user ? eq(auditEvents.targetUser, query.target_user) : undefined,
    query.min_risk === undefined ? undefined : gte(auditEvents.riskScore, query.min_risk),
  );
}

export const auditListOrder = [desc(auditEvents.createdAt), desc(sql`${auditEvents}.rowid`)];

/**
 * The order of a listing. With `min_risk`, `+created_at` keeps SQLite from walking the
 * created_at index backwards (it would, to skip the sort, reading the whole table when risky
 * events are rare): the (risk_score, created_at) index finds the few and they are sorted.
 */
export function auditListOrderFor(query: AuditListQuery) {
  return query.min_risk === undefined ? auditListOrder : [desc(sql`+${auditEvents.createdAt}`), desc(sql`${auditEvents}.rowid`)];
}

export async function listAuditEvents(db: Db, query: AuditListQuery) {
  const where = auditListWhere(query);
  const [counted, rows] = await db.batch([
    db.select({ n: sql<number>`count(*)` }).from(auditEvents).where(where),
    db.select().from(auditEvents).where(where).orderBy(...auditListOrderFor(query)).limit(query.page_size).offset(offsetOf(query)),
  ]);
  return { count: counted[0]?.n ?? 0, rows };
}

/** The latest events about one account, for its detail page. */
export function recentEventsOf(db: Db, userId: string, limit = 20) {
  return db.select().from(auditEvents).where(eq(auditEvents.userId, userId)).orderBy(...auditListOrder).limit(limit);
}
