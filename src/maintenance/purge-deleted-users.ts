import { and, asc, isNotNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { auditEvents, mailFailures, mailSuppressions, users } from '../db/schema';
import { AUDIT_EVENTS } from '../audit/event-types';
import { userState } from '../state/user-state';
import { describeError } from '../mail/errors';
import { DAY_MS, type JobContext, type JobReport, type MaintenanceJob } from './job';

/** Each account costs one Durable Object call and one 5-statement batch: 50 stay far below 1,000 queries. */
export const USERS_PER_RUN = 50;

/** Events whose actor (not subject) can be someone else's account: admins acting on users. */
const ACTOR_ONLY_TYPES = Object.keys(AUDIT_EVENTS).filter((type) => type.startsWith('admin_'));

/**
 * Daily: accounts soft-deleted longer ago than the grace period (RETENTION_DELETED_USERS_DAYS)
 * are erased. The Durable Object goes first (sessions, lockout, secrets): it is idempotent,
 * and once the D1 row is gone nothing would find the object again. Then one atomic batch
 * anonymizes the account's audit events (kept, so counts and security history stay true,
 * but with no user id, IP, user agent or metadata), deletes its failed-mail records and
 * suppression, and deletes the user row; profiles, password history, devices and MFA rows
 * go with it by ON DELETE CASCADE. Every statement re-checks that the account is still
 * deleted and past its grace, so a restore in between, or a second run, changes nothing.
 */
export const purgeDeletedUsers: MaintenanceJob = {
  name: 'purge_deleted_users',
  async run(ctx: JobContext): Promise<JobReport> {
    const cutoff = ctx.now - ctx.config.retention.deletedUsersDays * DAY_MS;
    const due = await dueAccounts(ctx.db, cutoff);
    let purged = 0;
    let failed = 0;
    for (const account of due) {
      try {
        await userState(ctx.env, account.id).erase();
        if (await eraseAccountRows(ctx.db, account, cutoff)) purged += 1;
      } catch (err) {
        failed += 1;
        ctx.log.error('account purge failed, retried next run', { user_id: account.id, error: describeError(err) });
      }
    }
    return { accounts_due: due.length, accounts_purged: purged, accounts_failed: failed, complete: due.length < USERS_PER_RUN };
  },
};

interface DueAccount {
  id: string;
  email: string;
}

function dueAccounts(db: Db, cutoff: number): Promise<DueAccount[]> {
  return db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(and(isNotNull(users.deletedAt), lt(users.deletedAt, new Date(cutoff))))
    .orderBy(asc(users.deletedAt))
    .limit(USERS_PER_RUN);
}

/** True when this call deleted the user row. */
async function eraseAccountRows(db: Db, account: DueAccount, cutoff: number): Promise<boolean> {
  const stillDue = sql`EXISTS (SELECT 1 FROM ${users} WHERE ${users.id} = ${account.id} AND ${users.deletedAt} IS NOT NULL AND ${users.deletedAt} < ${cutoff})`;
  const results = await db.batch([
    db.run(sql`UPDATE ${auditEvents} SET user_id = NULL, actor_id = NULL, ip = NULL, user_agent = NULL, metadata = '{}'
      WHERE ${auditEvents.userId} = ${account.id} AND ${stillDue}`),
    db.run(sql`UPDATE ${auditEvents} SET actor_id = NULL
      WHERE ${auditEvents.type} IN ${ACTOR_ONLY_TYPES} AND ${auditEvents.actorId} = ${account.id} AND ${stillDue}`),
    db.run(sql`DELETE FROM ${mailFailures} WHERE (${mailFailures.recipient} = ${account.email} OR ${mailFailures.userId} = ${account.id}) AND ${stillDue}`),
    db.run(sql`DELETE FROM ${mailSuppressions} WHERE ${mailSuppressions.email} = ${account.email} AND ${stillDue}`),
    db.run(sql`DELETE FROM ${users} WHERE ${users.id} = ${account.id} AND ${stillDue}`),
  ]);
  return (results[4].meta.changes ?? 0) > 0;
}
