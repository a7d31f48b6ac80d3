import { and, asc, isNotNull, lt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import { AUDIT_EVENTS } from '../audit/event-types';
import { accountState } from '../accounts/state/client';
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
 * deleted and past its grace, so a second run changes nothing, and a restore in between
 * keeps every D1 row (only the object's sessions and lockout state are gone).
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
        await accountState(ctx.env, account.id).erase();
        if (await eraseAccountRows(ctx.env.DB, account, cutoff)) purged += 1;
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
  /** NULL for an account without one: `= NULL` then matches no mail row, as it should. */
  email: string | null;
}

function dueAccounts(db: Db, cutoff: number): Promise<DueAccount[]> {
  return db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(and(isNotNull(users.deletedAt), lt(users.deletedAt, new Date(cutoff))))
    .orderBy(asc(users.deletedAt))
    .limit(USERS_PER_RUN);
}

/** True when this call deleted the user row. Every statement re-checks the account is still due. */
async function eraseAccountRows(d1: D1Database, account: DueAccount, cutoff: number): Promise<boolean> {
  const stillDue = 'EXISTS (SELECT 1 FROM users WHERE id = ?1 AND deleted_at IS NOT NULL AND deleted_at < ?2)';
  const adminTypes = ACTOR_ONLY_TYPES.map((type) => `'${type}'`).join(', ');
  // D1 wants exactly the parameters a statement uses: ?1 id, ?2 cutoff, ?3 email.
  const byId = [account.id, cutoff];
  const byIdAndEmail = [account.id, cutoff, account.email];
  const statements = [
    d1.prepare(`UPDATE audit_events SET user_id = NULL, actor_id = NULL, ip = NULL, user_agent = NULL, metadata = '{}' WHERE user_id = ?1 AND ${stillDue}`).bind(...byId),
    d1.prepare(`UPDATE audit_events SET actor_id = NULL WHERE type IN (${adminTypes}) AND actor_id = ?1 AND ${stillDue}`).bind(...byId),
    d1.prepare(`DELETE FROM mail_failures WHERE (recipient = ?3 OR user_id = ?1) AND ${stillDue}`).bind(...byIdAndEmail),
    d1.prepare(`DELETE FROM mail_suppressions WHERE email = ?3 AND ${stillDue}`).bind(...byIdAndEmail),
    // Last, so the checks above still see the row; profiles, history, devices and MFA cascade.
    d1.prepare(`DELETE FROM users WHERE id = ?1 AND ${stillDue}`).bind(...byId),
  ];
  const results = await d1.batch(statements);
  return (results[statements.length - 1]?.meta.changes ?? 0) > 0;
}
