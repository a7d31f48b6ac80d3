import type { Db } from '../db/client';
import { auditEvents } from '../db/schema';
import { deleteOlderThan, type BatchLimits } from './batches';
import { DAY_MS, type JobContext, type JobReport, type MaintenanceJob } from './job';

/** Up to 200,000 events a day in 1,000-row statements (200 of the 1,000 queries allowed). */
export const AUDIT_RETENTION_LIMITS: BatchLimits = { batchSize: 1000, maxBatches: 200 };

/** Daily: audit events older than the retention period (RETENTION_AUDIT_DAYS) are deleted. */
export const auditRetention: MaintenanceJob = {
  name: 'audit_retention',
  async run(ctx: JobContext): Promise<JobReport> {
    const outcome = await deleteAuditEventsBefore(ctx.db, ctx.now - ctx.config.retention.auditDays * DAY_MS, AUDIT_RETENTION_LIMITS);
    return { audit_events_deleted: outcome.rows, batches: outcome.batches, complete: outcome.complete };
  },
};

export function deleteAuditEventsBefore(db: Db, before: number, limits: BatchLimits) {
  return deleteOlderThan(db, auditEvents, auditEvents.id, auditEvents.createdAt, before, limits);
}
