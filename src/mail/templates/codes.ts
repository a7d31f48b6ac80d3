import type { MailTemplates } from '../types';
import { code, note, paragraph, plural, type AppInfo, type MailContent } from './content';

type CodeData = { code: string; minutes: number };

export function loginCode(data: MailTemplates['login_code'], app: AppInfo): MailContent {
  return codeMail(`Your ${app.appName} sign-in code`, 'Enter this code to sign in', data, app);
}

export function passwordResetCode(data: MailTemplates['password_reset_code'], app: AppInfo): MailContent {
  return codeMail(`Your ${app.appName} password reset code`, 'Enter this code to reset your password', data, app);
}

function codeMail(subject: string, lead: string, data: CodeData, app: AppInfo): MailContent {
  return {
    subject,
    blocks: [
      paragraph(`${lead}. It expires in ${plural(data.minutes, 'minute')} and works once.`),
      code(data.code),
      note(`Never share this code. ${app.appName} will never ask you for it.`),
      note('If you did not ask for it, you can ignore this message.'),
    ],
  };
}
