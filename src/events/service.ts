import { and, desc, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { auditEvents } from '../db/schema';
import { eventValues } from '../audit/record';
import { storedSeverities } from '../audit/severity';
import { typesOf, type AuditEventType } from '../audit/event-types';
import { addActivity } from '../activity/daily-activity';
import { offsetOf } from '../admin/pagination';
import type { RequestContext } from '../http/request-context';
import type { ClientEventBody, EventListQuery } from './schemas';

/**
 * A user's own events: about them (user_id) and done by them or by the system (actor is
 * the user or nobody). Never events where they are only the actor on someone else, nor
 * only the target_user (someone liked their post), nor events staff or other users caused
 * about them (a block says who blocked; an admin action names the admin): those rows
 * belong to someone else's history or to the audit log.
 */
export function ownEventsWhere(userId: string, query: EventListQuery) {
  return and(
    eq(auditEvents.userId, userId),
    or(eq(auditEvents.actorId, userId), isNull(auditEvents.actorId)),
    query.type ? eq(auditEvents.type, query.type) : undefined,
    query.category ? inArray(auditEvents.type, typesOf(query.category)) : undefined,
    query.severity ? inArray(auditEvents.severity, storedSeverities(query.severity)) : undefined,
    query.since === undefined ? undefined : gte(auditEvents.createdAt, new Date(query.since)),
    query.until === undefined ? undefined : lte(auditEvents.createdAt, new Date(query.until)),
  );
}

/** One page, newest first, over the (user_id, created_at) index. */
export async function listOwnEvents(ctx: RequestContext, userId: string, query: EventListQuery) {
  const where = ownEventsWhere(userId, query);
  const [counted, rows] = await ctx.db.batch([
    ctx.db.select({ n: sql<number>`count(*)` }).from(auditEvents).where(where),
    ctx.db
      .select()
      .from(auditEvents)
      .where(where)
      .orderBy(desc(auditEvents.createdAt), desc(sql`${auditEvents}.rowid`))
      .limit(query.page_size)
      .offset(offsetOf(query)),
  ]);
  return { count: counted[0]?.n ?? 0, rows };
}

/** POST /events: the event and its count in daily_activity.client_events, in one batch. */
export async function recordClientEvent(ctx: RequestContext, userId: string, sessionId: string, body: ClientEventBody) {
  const values = eventValues({
    type: body.event_type as AuditEventType,
    userId,
    actorId: userId,
    ip: ctx.meta.ip,
    userAgent: ctx.meta.userAgent,
    country: ctx.meta.country ?? null,
    sessionId,
    description: body.description,
    metadata: body.metadata,
    success: body.success,
    at: ctx.now,
  });
  const [inserted] = await ctx.db.batch([
    ctx.db.insert(auditEvents).values(values).returning(),
    addActivity(ctx.db, userId, ctx.now, { clientEvents: 1 }),
  ]);
  return inserted[0]!;
}
