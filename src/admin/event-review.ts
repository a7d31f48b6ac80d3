import { and, eq, isNull } from 'drizzle-orm';
import { auditEvents } from '../db/schema';
import { eventValues } from '../audit/record';
import { ApiError } from '../http/errors';
import type { AdminContext } from './context';
import type { EventReviewBody } from './schemas';

/**
 * PATCH /admin/audit-events/{id}: marks a flagged (or any) event reviewed, once. One batch:
 * the `event_reviewed` audit event, keyed `review:<id>` on the unique external id so only
 * the first review of an event can insert it, then the update, which only an unreviewed
 * row takes. Two reviews at once leave one review and one audit event; a later one
 * answers the event as it is.
 */
export async function reviewEvent(ctx: AdminContext, id: string, body: EventReviewBody) {
  const existing = await findEvent(ctx, id);
  if (!existing) throw new ApiError('not_found');
  if (existing.reviewedAt) return existing;
  const audit = eventValues({
    type: 'event_reviewed',
    userId: existing.userId,
    actorId: ctx.staff.id,
    ip: ctx.meta.ip,
    userAgent: ctx.meta.userAgent,
    metadata: { event_id: id, event_type: existing.type, actor_role: ctx.staff.role },
    externalId: `review:${id}`,
    at: ctx.now,
  });
  await ctx.db.batch([
    ctx.db.insert(auditEvents).values(audit).onConflictDoNothing({ target: auditEvents.externalId }),
    ctx.db
      .update(auditEvents)
      .set({ reviewedAt: new Date(ctx.now), reviewedBy: ctx.staff.id, reviewNote: body.note })
      .where(and(eq(auditEvents.id, id), isNull(auditEvents.reviewedAt))),
  ]);
  return (await findEvent(ctx, id))!;
}

async function findEvent(ctx: AdminContext, id: string) {
  const [row] = await ctx.db.select().from(auditEvents).where(eq(auditEvents.id, id)).limit(1);
  return row;
}
