import { eq, inArray } from 'drizzle-orm';
import type { Env } from '../../env';
import { createDb, type Db } from '../../db/client';
import { mailSuppressions, users } from '../../db/schema';
import { auditInsert } from '../../audit/record';
import { createLogger, errorSummary } from '../../http/log';
import { normalizeEmail } from '../../users/normalize';
import type { MailJob, MailTemplate } from '../types';

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
 * Mail that carries a code still goes out to a suppressed address: it is sent only when
 * someone asks for it (per-IP and per-address limits apply), and using its code or link
 * is how the address proves it receives mail again, which lifts the suppression. Notices
 * and everything else stay suppressed.
 */
const SENT_ANYWAY: ReadonlySet<MailTemplate> = new Set(['verify_email', 'login_code', 'password_reset_code']);

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

/** Lifts the suppression of an address; returns what it was, or undefined when there was none. */
export async function liftSuppression(db: Db, email: string): Promise<SuppressionRow | undefined> {
  const [lifted] = await db.delete(mailSuppressions).where(eq(mailSuppressions.email, normalizeEmail(email))).returning();
  return lifted;
}

/** Which emailed secret proved the mailbox, for the audit event. */
export type MailboxProof = 'verify_code' | 'verify_link' | 'login_code' | 'reset_code';

/**
 * A code or link mailed to the account's address was just used: the address receives
 * mail, so a bounce or complaint no longer holds. The one place every successful code use
 * calls (verification code and link, sign-in and reset codes). One statement when there
 * is nothing to lift; audited when there was. A failure here is logged, never thrown: the
 * code is already spent and the request it belongs to must not fail for this.
 */
export async function liftSuppressionOnProof(env: Env, userId: string, proof: MailboxProof, now: number): Promise<void> {
  try {
    const db = createDb(env.DB);
    const ownAddress = db.select({ email: users.email }).from(users).where(eq(users.id, userId));
    const [lifted] = await db.delete(mailSuppressions).where(inArray(mailSuppressions.email, ownAddress)).returning();
    if (!lifted) return;
    await auditInsert(db, { type: 'mail_suppression_lifted', userId, actorId: userId, metadata: { by: proof, kind: lifted.kind, reason: lifted.reason }, at: now });
  } catch (err) {
    createLogger({ component: 'bounces' }).error('suppression not lifted after a used code', { user_id: userId, proof, ...errorSummary(err) });
  }
}

/** The suppression that stops this job, or null when it may be sent. */
export async function suppressionFor(db: Db, job: MailJob): Promise<SuppressionRow | null> {
  if (SENT_ANYWAY.has(job.template)) return null;
  return (await findSuppression(db, job.to)) ?? null;
}
