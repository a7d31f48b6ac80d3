import type { MaintenanceJob } from './job';
import { securityAnalysis } from './security-analysis';
import { purgeExpired } from './purge-expired';
import { writeDailyStats } from './daily-stats';
import { auditRetention } from './audit-retention';
import { purgeDeletedUsers } from './purge-deleted-users';
import { badgeSweep } from '../badges/sweep';
import { eventAlerts } from './event-alerts';
import { reconcileCounters } from './reconcile-counters';
import { engagementScores } from './engagement';
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
  // reconcile_counters runs on every sixth firing (everyMinutes: 30), session_analytics
  // on every fourth (20); engagement_scores
  // makes one pass a day in bounded pages, continued hourly until it is done.
  [CRONS.everyFiveMinutes]: [securityAnalysis, eventAlerts, reconcileCounters, sessionAnalytics],
  [CRONS.hourly]: [purgeExpired, engagementScores],
  [CRONS.daily]: [writeDailyStats, auditRetention, purgeDeletedUsers, badgeSweep, sessionHistoryRetention],
};
