import type { Db } from '../db/client';
import type { UserRow } from '../db/schema';
import type { RequestContext } from '../http/request-context';

/**
 * The account a sign-in decides on, read where it is cheapest and corrected where it must
 * be. `ctx.db` may be a D1 read replica a few seconds behind the primary, so:
 * - a miss (no such account) is read again from `ctx.primary` before anyone is told so:
 *   a just-registered (or restored) account may not have reached the replica;
 * - the row's users.updated_at goes to the user's object as the attempt's stamp; when the
 *   object answers 'stale' (a change it was told of, a new password, a deactivation, ...,
 *   is newer than the row: accounts/state/fence.ts), nothing was counted, spent or opened,
 *   and the attempt runs once more on the primary's row, without a stamp.
 * Every sign-in service (password, emailed code, second factor) goes through here.
 */

/** What an attempt answers when the object called its row stale: the primary's row decides. */
export const STALE = Symbol('stale row');
export type Stale = typeof STALE;

/** How a sign-in reads its account: `read` from a database, and the users row in what it found. */
export interface AccountRead<T> {
  read(db: Db): Promise<T>;
  row(found: T): UserRow | undefined;
}

/** What the replica read found, when the caller has it already (tests hand an old row in to stand for a stale replica). */
export interface Seen<T> {
  found: T;
}

/** AccountRead for a plain look-up of the users row. */
export function accountRead(find: (db: Db) => Promise<UserRow | undefined>): AccountRead<UserRow | undefined> {
  return { read: find, row: (found) => found };
}

/**
 * The account from `ctx.db`, read alongside the rate limit's decision (ctx.admitted), and
 * read again from the primary when `ctx.db` has none. `fromPrimary`: what was found came
 * from that second read (so it needs no stamp).
 */
export async function readAccount<T>(ctx: RequestContext, account: AccountRead<T>, seen?: Seen<T>): Promise<{ found: T; fromPrimary: boolean }> {
  const [found] = await Promise.all([seen ? seen.found : account.read(ctx.db), ctx.admitted]);
  // The same handle has nothing fresher to offer (db is not a replica).
  if (account.row(found) || (!seen && ctx.primary === ctx.db)) return { found, fromPrimary: false };
  return { found: await account.read(ctx.primary), fromPrimary: true };
}

/**
 * Runs `attempt` on the account as readAccount finds it, with the row's updated_at as the
 * stamp; when it answers STALE, once more on the primary's row without one.
 */
export async function withFreshAccount<T, R>(
  ctx: RequestContext,
  account: AccountRead<T>,
  attempt: (found: T, stamp: number | undefined) => Promise<R | Stale>,
  seen?: Seen<T>,
): Promise<R> {
  const first = await readAccount(ctx, account, seen);
  const row = account.row(first.found);
  const result = await attempt(first.found, first.fromPrimary ? undefined : row?.updatedAt.getTime());
  if (result !== STALE) return result;
  ctx.log.info('sign-in row may be stale (fence, or a refusal the primary may lift): reading the primary', { user_id: row?.id });
  const retried = await attempt(await account.read(ctx.primary), undefined);
  // Only a stamped attempt can be stale.
  if (retried === STALE) throw new Error('sign-in attempt without a stamp answered stale');
  return retried;
}
