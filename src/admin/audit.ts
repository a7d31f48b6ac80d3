import { auditInsert } from '../audit/record';
import type { AuditEventType } from '../audit/event-types';
import type { AdminContext } from './context';

/** An admin action's audit event: who (actor and role), on whom, from where. */
export function adminAudit(ctx: AdminContext, type: AuditEventType, targetId: string, metadata: Record<string, unknown> = {}) {
  return auditInsert(ctx.db, {
    type,
    userId: targetId,
    actorId: ctx.staff.id,
    ip: ctx.meta.ip,
    userAgent: ctx.meta.userAgent,
    metadata: { ...metadata, actor_role: ctx.staff.role },
    at: ctx.now,
  });
}
