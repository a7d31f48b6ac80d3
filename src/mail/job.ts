import type { MailJob, MailTemplate, MailTemplates } from './types';

type FieldKind = 'string' | 'number';

/** The shape of each template's data, checked against MailTemplates by the compiler. */
const DATA_FIELDS: { [T in MailTemplate]: { [K in keyof MailTemplates[T]]-?: FieldKind } } = {
  verify_email: { code: 'string', link: 'string', code_minutes: 'number', link_hours: 'number' },
  welcome: { first_name: 'string' },
  account_exists: { reset_hint: 'string' },
  lockout_notice: { minutes: 'number' },
  new_sign_in: { ip: 'string', user_agent: 'string', time: 'string' },
  login_code: { code: 'string', minutes: 'number' },
  password_reset_code: { code: 'string', minutes: 'number' },
  password_changed: { time: 'string' },
  mfa_changed: { change: 'string' },
  security_alert: { alert: 'string', summary: 'string', time: 'string' },
  professional_verification: { outcome: 'string', company_name: 'string', note: 'string' },
  badge_earned: { badge_name: 'string', description: 'string', points: 'number' },
  events_review: { count: 'number', lines: 'string', time: 'string' },
};

export const MAIL_TEMPLATES = Object.keys(DATA_FIELDS) as MailTemplate[];

/**
 * A queue body as a MailJob, or null when it is not one. Queue bodies are untyped at
 * runtime: a producer from an older deploy or a hand-sent message can carry anything.
 */
export function parseMailJob(body: unknown): MailJob | null {
  if (!isRecord(body)) return null;
  const { id, template, to, user_id, data, created_at } = body;
  if (typeof id !== 'string' || id === '') return null;
  if (typeof to !== 'string' || !isPlainAddress(to)) return null;
  if (user_id !== null && typeof user_id !== 'string') return null;
  if (typeof created_at !== 'number') return null;
  if (typeof template !== 'string' || !Object.hasOwn(DATA_FIELDS, template)) return null;
  if (!isRecord(data) || !hasFields(data, DATA_FIELDS[template as MailTemplate])) return null;
  return body as MailJob;
}

function hasFields(data: Record<string, unknown>, fields: Record<string, FieldKind>): boolean {
  return Object.entries(fields).every(([name, kind]) =>
    kind === 'number' ? Number.isFinite(data[name]) : typeof data[name] === 'string',
  );
}

/** One bare address, no display name and nothing that could break a header line. */
export function isPlainAddress(value: string): boolean {
  return /^[^\s@<>",;:]+@[^\s@<>",;:]+$/.test(value) && value.length <= 254;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
