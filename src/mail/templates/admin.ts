import type { MailTemplates } from '../types';
import { facts, note, paragraph, plural, type AppInfo, type MailContent } from './content';

/** To admins: events that are critical or flagged for review, batched per run of the alert job. */
export function eventsReview(data: MailTemplates['events_review'], app: AppInfo): MailContent {
  return {
    subject: `[${app.appName}] ${plural(data.count, 'event')} to review`,
    blocks: [
      paragraph(`${app.appName} recorded ${plural(data.count, 'event')} that ${data.count === 1 ? 'is' : 'are'} critical or flagged for review:`),
      ...data.lines.split('\n').filter(Boolean).map((line) => paragraph(line)),
      facts([['Sent at', data.time]]),
      note('Each event is mailed once. Mark it reviewed in the console (Audit events, "Flagged for review") or with PATCH /api/v1/admin/audit-events/{id}.'),
    ],
  };
}

/** To admins when the security analysis opens an alert; sent once per alert, not per run. */
export function securityAlert(data: MailTemplates['security_alert'], app: AppInfo): MailContent {
  return {
    subject: `[${app.appName}] Security alert: ${data.alert}`,
    blocks: [
      paragraph(`${app.appName} detected a suspicious pattern: ${data.summary}`),
      facts([
        ['Alert', data.alert],
        ['Detected at', data.time],
      ]),
      note('You get this once while the pattern persists. The audit log has it as a security_alert event.'),
    ],
  };
}
