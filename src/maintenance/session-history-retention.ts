import type { Db } from '../db/client';
import { sessionHistory } from '../db/schema';
import { deleteOlderThan, type BatchLimits } from './batches';
import { DAY_MS, type JobContext, type JobReport, type MaintenanceJob } from './job';

/** Up to 100,000 ended sessions a day, 1,000 per statement. */
export const SESSION_HISTORY_LIMITS: BatchLimits = { batchSize: 1000, maxBatches: 100 };

/**
 * Daily: sessions that ended longer ago than RETENTION_SESSION_HISTORY_DAYS (90) leave the
 * history. Open ones are never touched (the analytics job closes expired ones first).
 */
export const sessionHistoryRetention: MaintenanceJob = {
  name: 'session_history_retention',
  async run(ctx: JobContext): Promise<JobReport> {
    const before = ctx.now - ctx.config.sessionActivity.historyRetentionDays * DAY_MS;
    const outcome = await deleteEndedSessionsBefore(ctx.db, before, SESSION_HISTORY_LIMITS);
    return { sessions_deleted: outcome.rows, batches: outcome.batches, complete: outcome.complete };
  },
};

export function deleteEndedSessionsBefore(db: Db, before: number, limits: BatchLimits) {
  return deleteOlderThan(db, sessionHistory, sessionHistory.id, sessionHistory.endedAt, before, limits);
}
