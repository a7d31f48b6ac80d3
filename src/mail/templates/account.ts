import type { MailTemplates } from '../types';
import { note, paragraph, type AppInfo, type MailContent } from './content';

export function welcome(data: MailTemplates['welcome'], app: AppInfo): MailContent {
  const greeting = data.first_name.trim() ? `Welcome, ${data.first_name.trim()}!` : 'Welcome!';
  return {
    subject: `Welcome to ${app.appName}`,
    blocks: [
      paragraph(greeting),
      paragraph(`Your email address is verified and your ${app.appName} account is ready.`),
    ],
  };
}

/** Sent instead of a second account, so registration answers the same either way. */
export function accountExists(data: MailTemplates['account_exists'], app: AppInfo): MailContent {
  return {
    subject: `You already have a ${app.appName} account`,
    blocks: [
      paragraph(`Someone tried to create a ${app.appName} account with this email address, which already has one.`),
      paragraph('If it was you, sign in instead. If you forgot your password, you can reset it.'),
      ...(data.reset_hint.trim() ? [note(data.reset_hint.trim())] : []),
      note('If it was not you, you can ignore this message: nothing has changed on your account.'),
    ],
  };
}
