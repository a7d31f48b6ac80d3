import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { mailDeliveries, mailFailures } from '../db/schema';
import type { MailTransportName } from '../config/config';
import type { MailJob } from './types';

export async function isDelivered(db: Db, jobId: string): Promise<boolean> {
  const row = await db.select({ id: mailDeliveries.messageId }).from(mailDeliveries).where(eq(mailDeliveries.messageId, jobId)).get();
  return row !== undefined;
}

export async function recordDelivery(db: Db, job: MailJob, transport: MailTransportName, now: number): Promise<void> {
  await db
    .insert(mailDeliveries)
    .values({ messageId: job.id, template: job.template, transport, sentAt: new Date(now) })
    .onConflictDoNothing();
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
