import * as z from 'zod';

/** GET /admin/stats (daily-report.ts dailyReport): the daily_stats rows of a range, oldest first. */
export const dailyReportSchema = z.object({
  from: z.iso.date(),
  to: z.iso.date(),
  results: z.array(
    z.object({
      day: z.iso.date(),
      signups: z.number().int().nonnegative(),
      verifications: z.number().int().nonnegative(),
      logins: z.number().int().nonnegative(),
      login_failures: z.number().int().nonnegative(),
      lockouts: z.number().int().nonnegative(),
      mails_sent: z.number().int().nonnegative(),
      mails_failed: z.number().int().nonnegative(),
      active_users: z.number().int().nonnegative(),
      sessions_ended: z.number().int().nonnegative(),
      avg_session_seconds: z.number().int().nonnegative(),
    }),
  ).describe('Only the days the statistics job has written.'),
});
