import type { MailTemplates } from '../types';
import { facts, note, paragraph, type AppInfo, type MailContent } from './content';

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
