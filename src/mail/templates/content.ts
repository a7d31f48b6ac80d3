/**
 * Templates describe a mail as a few blocks; one renderer turns them into plain text and
 * another into HTML, so the two parts never drift apart and every value is escaped once.
 */
export type Block =
  | { kind: 'paragraph'; text: string }
  | { kind: 'code'; code: string }
  | { kind: 'link'; href: string; label: string }
  | { kind: 'facts'; rows: [label: string, value: string][] }
  | { kind: 'note'; text: string };

export interface MailContent {
  subject: string;
  blocks: Block[];
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** What every template may mention about the app itself (from config). */
export interface AppInfo {
  appName: string;
  publicUrl: string;
  /** FRONTEND_URL ('' when unset): verification links may point there. */
  frontendUrl?: string;
}

/** Data that cannot become a mail (a bad link, say): retrying will not help. */
export class MailRenderError extends Error {
  override name = 'MailRenderError';
}

export const paragraph = (text: string): Block => ({ kind: 'paragraph', text });
export const code = (value: string): Block => ({ kind: 'code', code: value });
export const link = (href: string, label: string): Block => ({ kind: 'link', href, label });
export const facts = (rows: [string, string][]): Block => ({ kind: 'facts', rows });
export const note = (text: string): Block => ({ kind: 'note', text });

export function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** "If this wasn't you" advice shared by the security notices. */
export function notYouNote(app: AppInfo): Block {
  return note(`If this wasn't you, reset your ${app.appName} password right away and sign out your other sessions.`);
}
