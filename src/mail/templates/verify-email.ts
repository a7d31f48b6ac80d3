import type { MailTemplates } from '../types';
import { code, link, MailRenderError, note, paragraph, plural, type AppInfo, type MailContent } from './content';

export function verifyEmail(data: MailTemplates['verify_email'], app: AppInfo): MailContent {
  return {
    subject: `Verify your email address for ${app.appName}`,
    blocks: [
      paragraph(`Enter this code to verify your email address. It expires in ${plural(data.code_minutes, 'minute')}.`),
      code(data.code),
      paragraph(`Or verify it by opening this link within ${plural(data.link_hours, 'hour')}:`),
      link(appLink(data.link, app), 'Verify email address'),
      note(`If you did not create a ${app.appName} account, you can ignore this message.`),
    ],
  };
}

/**
 * Links must point at the configured public URL, or the configured frontend (API.md): one
 * built from a Host header by mistake would turn our own mail into a phishing link, so it
 * is refused here too.
 */
export function appLink(href: string, app: AppInfo): string {
  const bases = [app.publicUrl, app.frontendUrl].filter(Boolean);
  if (!bases.some((base) => href.startsWith(`${base}/`))) throw new MailRenderError('link is not under the public URL');
  return href;
}
