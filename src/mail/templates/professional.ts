import type { MailTemplates } from '../types';
import { note, paragraph, type AppInfo, type MailContent } from './content';

export function professionalVerification(data: MailTemplates['professional_verification'], app: AppInfo): MailContent {
  const company = data.company_name.trim() ? ` for ${data.company_name.trim()}` : '';
  return {
    subject: data.outcome === 'verified' ? `Your professional profile on ${app.appName} is verified` : `Your professional profile on ${app.appName} is no longer verified`,
    blocks: [
      paragraph(
        data.outcome === 'verified'
          ? `Our staff verified your professional profile${company}: it now shows as verified.`
          : `Our staff removed the verification of your professional profile${company}.`,
      ),
      ...(data.note.trim() ? [note(data.note.trim())] : []),
    ],
  };
}
