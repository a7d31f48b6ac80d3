import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { mailDeliveries, mailFailures } from '../db/schema';
import type { MailTransportName } from '../config/config';
import type { MailJob } from './types';
import { normalizeEmail } from '../users/normalize';

export async function isDelivered(db: Db, jobId: string): Promise<boolean> {
  const row = await db.select({ id: mailDeliveries.messageId }).from(mailDeliveries).where(eq(mailDeliveries.messageId, jobId)).get();
  return row !== undefined;
}

/** Records a sent job with its recipient and Message-ID: what a bounce must match to count. */
export async function recordDelivery(db: Db, job: MailJob, transport: MailTransportName, mimeMessageId: string | null, now: number): Promise<void> {
  await db
    .insert(mailDeliveries)
    .values({
      messageId: job.id,
      template: job.template,
      transport,
      sentAt: new Date(now),
      recipient: normalizeEmail(job.to),
      mimeMessageId: mimeMessageId === null ? null : normalizeMessageId(mimeMessageId),
    })
    .onConflictDoNothing();
}

/** "<ABC@Example.com>" -> "abc@example.com": the form Message-IDs are stored and compared in. */
export function normalizeMessageId(value: string): string {
  const id = value.trim();
  return (id.startsWith('<') && id.endsWith('>') ? id.slice(1, -1) : id).trim().toLowerCase();
}

/** The delivery a Message-ID names, with the address it went to; undefined when we sent no such message. */
export function findDeliveryByMessageId(db: Db, mimeMessageId: string) {
  return db
    .select({ recipient: mailDeliveries.recipient, template: mailDeliveries.template })
    .from(mailDeliveries)
    .where(eq(mailDeliveries.mimeMessageId, normalizeMessageId(mimeMessageId)))
    .get();
}

export interface MailFailure {
  messageId: string;
  template: string;
  recipient: string;
  userId: string | null;
  error: string;
  attempts: number;
}

/** One row per failed job: a dead letter delivered twice is recorded once. */
export async function recordFailure(db: Db, failure: MailFailure, now: number): Promise<void> {
  await db
    .insert(mailFailures)
    .values({ id: crypto.randomUUID(), ...failure, createdAt: new Date(now) })
    .onConflictDoNothing({ target: mailFailures.messageId });
}
