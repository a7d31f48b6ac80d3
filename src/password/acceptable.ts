import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { passwordHistory, type UserRow } from '../db/schema';
import { ApiError, validationError } from '../http/errors';
import type { RequestContext } from '../http/request-context';
import { commonPasswords, passwordProblems, verifyPassword } from './hashing';

/**
 * The password policy (length, common, numeric, similar to the account), reported under
 * `field`; 503 when the common-password list cannot be read (commonPasswords).
 */
export async function assertAcceptable(ctx: RequestContext, user: UserRow, password: string, field: string): Promise<void> {
  const common = await commonPasswords(ctx.env.ASSETS, ctx.log);
  const account = { email: user.email, username: user.username, first_name: user.firstName, last_name: user.lastName };
  const problems = passwordProblems(password, account, common);
  if (problems.length > 0) throw validationError({ [field]: problems });
}

/**
 * password_reused when `password` matches any of the account's last `depth` passwords.
 * Compared by verifying against each stored hash (salted, and of any format we hold,
 * imported Django ones included), never by hashing again and comparing strings. The
 * current hash is checked too: an imported account may have no history yet, and a hash
 * upgraded on login is the same password as the newest entry.
 */
export async function assertNotReused(db: Db, user: UserRow, password: string, depth: number): Promise<void> {
  const rows = await db
    .select({ hash: passwordHistory.passwordHash })
    .from(passwordHistory)
    .where(eq(passwordHistory.userId, user.id))
    .orderBy(desc(passwordHistory.createdAt), desc(passwordHistory.id))
    .limit(depth);
  const hashes = new Set([user.passwordHash, ...rows.map((r) => r.hash)]);
  // One at a time: each scrypt check takes 16 MiB, and the first match ends the search.
  for (const hash of hashes) {
    if ((await verifyPassword(password, hash)).ok) throw new ApiError('password_reused');
  }
}
