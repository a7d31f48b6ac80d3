import { and, eq, getTableColumns, is, sql, SQL } from 'drizzle-orm';
import { SQLiteAsyncDialect, type SQLiteInsertValue } from 'drizzle-orm/sqlite-core';
import type { Db } from '../../db/client';
import { auditEvents, users } from '../../db/schema';

/**
 * The verified-email outbox (storage-layout.ts KEYS.verifiedOutbox). The user's object is
 * the authority when an address is verified: in the step that spends the verification
 * code (or link) it records this entry, and the answer goes out without waiting for D1.
 * users.email_verified and the `email_verified` audit row are written just after the
 * answer by the Worker (flushVerified, then the object is told: verifiedFlushed), and by
 * the object's alarm when that never happened (the Worker died, D1 failed). Until D1 has
 * it, the object answers for it: a sign-in that finds the row unverified asks the object
 * (settleSignIn), and a second submission of the code or link is "already verified".
 */
export interface VerifiedEntry {
  userId: string;
  /** The address verified: D1 is written only while the row still has it. */
  email: string;
  /** When (ms, app clock): the users.updated_at written. */
  at: number;
  method: 'code' | 'link';
  /** The `email_verified` audit row, made by the request (its ip, agent, risk: auditIfWritten); its id makes a second flush write nothing. */
  audit: PreparedAudit;
  /** Set once D1 has it: the entry is kept a little longer (FLUSHED_GRACE_MS), then dropped. */
  flushedAt?: number;
  /** Failed flushes by the alarm, for its backoff. */
  tries?: number;
}

/** An audit row's values (audit/record.ts eventValues): plain values, or subqueries. */
export type AuditValues = SQLiteInsertValue<typeof auditEvents> & { id: string };

/** A statement as text and parameters: what the object can keep and run later. */
export interface PreparedAudit {
  id: string;
  sql: string;
  params: unknown[];
}

/** The bindings the object flushes with (the Worker's env has them; the object's type names only these). */
export interface OutboxBindings {
  DB: D1Database;
}

/** How long after the spend the alarm looks: the Worker's flush normally ended long before. */
export const FIRST_CHECK_MS = 10_000;
/** A flushed entry still answers sign-ins this long: one that read the row just before the flush then finds it here. */
export const FLUSHED_GRACE_MS = 60_000;
const MAX_BACKOFF_MS = 10 * 60_000;

/** When the alarm should try again after `tries` failed flushes. */
export function retryDelay(tries: number): number {
  return Math.min(MAX_BACKOFF_MS, FIRST_CHECK_MS * 2 ** Math.min(tries, 10));
}

/** True when `entry` vouches that `email` is verified (pending or just flushed). */
export function vouchesFor(entry: VerifiedEntry | undefined, email: string | null | undefined): boolean {
  return entry !== undefined && email != null && entry.email === email;
}

/**
 * Writes the entry to D1 in one batch, idempotently: the flag only where the row still
 * has this address and is unverified, and the audit row only when that update wrote the
 * row (it carries `at` as its updated_at) and only once (its id).
 */
export async function flushVerified(db: Db, entry: VerifiedEntry): Promise<void> {
  const update = db
    .update(users)
    .set({ emailVerified: true, updatedAt: new Date(entry.at) })
    .where(and(eq(users.id, entry.userId), eq(users.email, entry.email), eq(users.emailVerified, false)))
    .toSQL();
  const client = db.$client;
  await client.batch([client.prepare(update.sql).bind(...update.params), client.prepare(entry.audit.sql).bind(...entry.audit.params)]);
}

/**
 * The audit row's statement, made by the request that verified (the row's risk columns
 * are subqueries: recorded/risk-reads.ts) and kept as SQL text in the entry: INSERT OR
 * IGNORE, only while the users row shows the write of this entry.
 */
export function auditIfWritten(entry: Pick<VerifiedEntry, 'userId' | 'email' | 'at'>, row: AuditValues): PreparedAudit {
  const columns = getTableColumns(auditEvents);
  const fields = (Object.keys(row) as (keyof AuditValues & keyof typeof columns)[]).filter((key) => row[key] !== undefined);
  const names = sql.join(fields.map((key) => sql.identifier(columns[key].name)), sql`, `);
  const values = sql.join(
    fields.map((key) => {
      const value = row[key];
      return is(value, SQL) ? value : sql`${columns[key].mapToDriverValue(value as never)}`;
    }),
    sql`, `,
  );
  const written = sql`SELECT 1 FROM ${users} WHERE ${users.id} = ${entry.userId} AND ${users.email} = ${entry.email} AND ${users.emailVerified} = 1 AND ${users.updatedAt} = ${entry.at}`;
  const query = new SQLiteAsyncDialect().sqlToQuery(sql`INSERT OR IGNORE INTO ${auditEvents} (${names}) SELECT ${values} WHERE EXISTS (${written})`);
  return { id: row.id, sql: query.sql, params: query.params };
}
