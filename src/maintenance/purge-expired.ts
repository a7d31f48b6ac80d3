import type { Db } from '../db/client';
import { mailDeliveries, securityAlerts } from '../db/schema';
import { deleteOlderThan, type BatchLimits } from './batches';
import { DAY_MS, type JobContext, type JobReport, type MaintenanceJob } from './job';

export const PURGE_LIMITS: BatchLimits = { batchSize: 1000, maxBatches: 100 };

/**
 * Hourly: rows whose purpose has expired. A delivery record only has to outlive queue
 * redelivery (messages are kept 4 days by default); a security alert unseen for the quiet
 * period is closed and a new occurrence should alert again. Sessions expire inside the
 * UserState objects, and the dev mailbox and KV secrets carry their own TTL.
 */
export const purgeExpired: MaintenanceJob = {
  name: 'purge_expired',
  async run(ctx: JobContext): Promise<JobReport> {
    const { db, config, now } = ctx;
    const deliveries = await purgeMailDeliveries(db, now - config.retention.mailDeliveriesDays * DAY_MS, PURGE_LIMITS);
    const alerts = await purgeClosedAlerts(db, now - config.alerts.quietSec * 1000, PURGE_LIMITS);
    return {
      mail_deliveries_deleted: deliveries.rows,
      mail_deliveries_complete: deliveries.complete,
      closed_alerts_deleted: alerts.rows,
      closed_alerts_complete: alerts.complete,
    };
  },
};

export function purgeMailDeliveries(db: Db, before: number, limits: BatchLimits) {
  return deleteOlderThan(db, mailDeliveries, mailDeliveries.messageId, mailDeliveries.sentAt, before, limits);
}

export function purgeClosedAlerts(db: Db, before: number, limits: BatchLimits) {
  return deleteOlderThan(db, securityAlerts, securityAlerts.key, securityAlerts.lastSeenAt, before, limits);
}
