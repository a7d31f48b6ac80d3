import { and, eq, isNull } from 'drizzle-orm';
import type { JobContext } from './job';
import { users } from '../db/schema';
import { enqueueMail } from '../mail/enqueue';
import { isPlainAddress } from '../mail/job';
import { describeError } from '../mail/errors';
import type { Finding } from './security-findings';

/** More recipients than this is a misconfiguration, not a reason for a mail storm. */
export const MAX_ALERT_RECIPIENTS = 50;

interface Recipient {
  to: string;
  userId: string | null;
}

/** Every active, verified admin, plus ALERT_RECIPIENTS; each address once. */
export async function alertRecipients(ctx: JobContext): Promise<Recipient[]> {
  const admins = await ctx.db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.isActive, true), eq(users.emailVerified, true), isNull(users.deletedAt)))
    .limit(MAX_ALERT_RECIPIENTS);
  const byAddress = new Map<string, Recipient>(admins.flatMap((a) => (a.email ? [[a.email, { to: a.email, userId: a.id }] as const] : [])));
  for (const address of ctx.config.alerts.recipients) {
    if (!isPlainAddress(address)) ctx.log.warn('ALERT_RECIPIENTS entry is not an address, skipped');
    else if (!byAddress.has(address)) byAddress.set(address, { to: address, userId: null });
  }
  return [...byAddress.values()].slice(0, MAX_ALERT_RECIPIENTS);
}

/** Queues one alert mail per recipient; returns how many were queued. */
export async function mailAlert(ctx: JobContext, finding: Finding, recipients: Recipient[]): Promise<number> {
  const data = { alert: finding.title, summary: finding.summary, time: new Date(ctx.now).toISOString() };
  let queued = 0;
  for (const recipient of recipients) {
    try {
      await enqueueMail(ctx.env, { template: 'security_alert', to: recipient.to, userId: recipient.userId, data }, ctx.now);
      queued += 1;
    } catch (err) {
      // The alert is already in the audit log; a lost mail must not stop the others.
      ctx.log.error('security alert mail not queued', { alert: finding.type, error: describeError(err) });
    }
  }
  return queued;
}
