import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { mailFailures, mailSuppressions } from '../db/schema';
import type { MailFailureListQuery } from './schemas';
import { offsetOf } from './pagination';

/** Mail that exhausted its retries (the dead-letter consumer's records), newest first. */
export async function listMailFailures(db: Db, query: MailFailureListQuery) {
  const where = and(
    query.recipient ? eq(mailFailures.recipient, query.recipient) : undefined,
    query.template ? eq(mailFailures.template, query.template) : undefined,
  );
  const [counted, rows] = await db.batch([
    db.select({ n: sql<number>`count(*)` }).from(mailFailures).where(where),
    db
      .select()
      .from(mailFailures)
      .where(where)
      .orderBy(desc(mailFailures.createdAt), desc(sql`${mailFailures}.rowid`))
      .limit(query.page_size)
      .offset(offsetOf(query)),
  ]);
  return { count: counted[0]?.n ?? 0, rows };
}

export function mailFailuresTo(db: Db, recipient: string, limit = 20) {
  return db.select().from(mailFailures).where(eq(mailFailures.recipient, recipient)).orderBy(desc(mailFailures.createdAt)).limit(limit);
}

/** Whether mail to the address is suppressed (a bounce or complaint), from the table the bounce handler writes. */
export function suppressionOf(db: Db, email: string) {
  return db.query.mailSuppressions.findFirst({ where: eq(mailSuppressions.email, email) });
}
