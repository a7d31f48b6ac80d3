import type { JobContext, JobReport, MaintenanceJob } from './job';
import { alertRecipients, mailAlert } from './alert-mail';
import { openAlert } from './open-alert';
import { findPatterns } from './security-findings';

/**
 * Every 5 minutes: looks at the last ALERT_WINDOW seconds of audit events for credential
 * stuffing, lockout waves and refresh-token reuse. A new pattern opens an alert: one
 * high-severity security_alert event and one mail to the admins. While it persists, later
 * runs only keep it open; after ALERT_QUIET_PERIOD without it, it is closed.
 */
export const securityAnalysis: MaintenanceJob = {
  name: 'security_analysis',
  async run(ctx: JobContext): Promise<JobReport> {
    const { alerts } = ctx.config;
    const findings = await findPatterns(ctx.db, alerts, ctx.now);
    let opened = 0;
    let mails = 0;
    let recipients: Awaited<ReturnType<typeof alertRecipients>> | null = null;
    for (const finding of findings) {
      if (!(await openAlert(ctx.env.DB, finding, ctx.now, alerts.quietSec * 1000))) continue;
      opened += 1;
      recipients ??= await alertRecipients(ctx);
      mails += await mailAlert(ctx, finding, recipients);
      ctx.log.info('security alert opened', { alert: finding.type, ...finding.metadata });
    }
    return { findings: findings.length, alerts_opened: opened, alerts_kept_open: findings.length - opened, alert_mails_queued: mails };
  },
};
