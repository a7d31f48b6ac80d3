import type { MailTemplates } from '../types';
import { paragraph, type AppInfo, type MailContent } from './content';

export function badgeEarned(data: MailTemplates['badge_earned'], app: AppInfo): MailContent {
  const points = data.points === 1 ? '1 point' : `${data.points} points`;
  return {
    subject: `You earned the ${data.badge_name} badge on ${app.appName}`,
    blocks: [
      paragraph(`You earned the ${data.badge_name} badge (${points}).`),
      ...(data.description.trim() ? [paragraph(data.description.trim())] : []),
      paragraph('You can feature up to six of your badges on your profile.'),
    ],
  };
}
