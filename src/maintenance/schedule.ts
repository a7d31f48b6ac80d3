import type { MaintenanceJob } from './job';
import { securityAnalysis } from './security-analysis';
import { purgeExpired } from './purge-expired';
import { writeDailyStats } from './daily-stats';
import { auditRetention } from './audit-retention';
import { purgeDeletedUsers } from './purge-deleted-users';
import { sessionAnalytics } from './session-analytics';
import { sessionHistoryRetention } from './session-history-retention';

/** The cron expressions of wrangler.toml's [triggers] (top level and [env.production]). */
export const CRONS = {
  everyFiveMinutes: '*/5 * * * *',
  hourly: '0 * * * *',
  daily: '30 3 * * *',
} as const;

/** Which jobs each cron runs, in order. Stats come first: they read the day before anything is trimmed. */
export const SCHEDULE: Record<string, MaintenanceJob[]> = {
  [CRONS.everyFiveMinutes]: [securityAnalysis, sessionAnalytics],
  [CRONS.hourly]: [purgeExpired],
  [CRONS.daily]: [writeDailyStats, auditRetention, purgeDeletedUsers, sessionHistoryRetention],
};
