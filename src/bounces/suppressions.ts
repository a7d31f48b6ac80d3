import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { mailSuppressions } from '../db/schema';
import { auditInsert } from '../audit/record';
import { normalizeEmail } from '../users/normalize';
import type { MailJob, MailTemplate } from '../mail/types';

export type SuppressionRow = typeof mailSuppressions.$inferSelect;

export interface Suppression {
  email: string;
  kind: 'bounce' | 'complaint';
  /** Short and fixed in form: "hard bounce (5.1.1)", "complaint (abuse)". */
  reason: string;
  diagnostic: string;
  /** The account the address belongs to, for the audit event. */
  userId: string | null;
}

/**
 * Verification mail still goes out to a suppressed address: it is sent only when someone
 * asks for it, and a successful verification is what clears the suppression.
 */
const SENT_ANYWAY: ReadonlySet<MailTemplate> = new Set(['verify_email']);

/**
 * Marks an address undeliverable. The first report inserts the row (and one audit event);
 * later ones refresh its reason but keep the time it was first suppressed. Returns true
 * when this call suppressed it.
 */
export async function suppressAddress(db: Db, entry: Suppression, now: number): Promise<boolean> {
  const email = normalizeEmail(entry.email);
  const values = { kind: entry.kind, reason: entry.reason, diagnostic: entry.diagnostic };
  const inserted = await db
    .insert(mailSuppressions)
    .values({ email, ...values, createdAt: new Date(now) })
    .onConflictDoNothing()
    .returning({ email: mailSuppressions.email });
  if (inserted.length === 0) {
    await db.update(mailSuppressions).set(values).where(eq(mailSuppressions.email, email));
    return false;
  }
  await auditInsert(db, { type: 'mail_suppressed', userId: entry.userId, metadata: { kind: entry.kind, reason: entry.reason }, at: now });
  return true;
}

/** The suppression of an address, for the admin user view. */
export function findSuppression(db: Db, email: string): Promise<SuppressionRow | undefined> {
  return db.select().from(mailSuppressions).where(eq(mailSuppressions.email, normalizeEmail(email))).get();
}

/** A statement (alone or inside db.batch) that lifts the suppression of an address: verified again, or changed. */
export function clearSuppression(db: Db, email: string) {
  return db.delete(mailSuppressions).where(eq(mailSuppressions.email, normalizeEmail(email)));
}

/** The suppression that stops this job, or null when it may be sent. */
export async function suppressionFor(db: Db, job: MailJob): Promise<SuppressionRow | null> {
  if (SENT_ANYWAY.has(job.template)) return null;
  return (await findSuppression(db, job.to)) ?? null;
}
