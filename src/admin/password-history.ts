import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { passwordHistory } from '../db/schema';
import { loadTarget } from './target';

export const PASSWORD_HISTORY_SHOWN = 50;

/**
 * When and from where an account's password was set, newest first: time, IP and how
 * (registration, change, reset, creation by staff). Never the hash: the columns are
 * chosen here, so a hash cannot reach a page or an answer by accident.
 */
export async function passwordHistoryOf(db: Db, id: string) {
  await loadTarget(db, id, 'any');
  const rows = await db
    .select({ createdAt: passwordHistory.createdAt, ip: passwordHistory.ip, via: passwordHistory.via })
    .from(passwordHistory)
    .where(eq(passwordHistory.userId, id))
    .orderBy(desc(passwordHistory.createdAt), desc(passwordHistory.id))
    .limit(PASSWORD_HISTORY_SHOWN);
  return rows.map((r) => ({ changed_at: r.createdAt.toISOString(), ip: r.ip, via: r.via }));
}
export type PasswordChange = Awaited<ReturnType<typeof passwordHistoryOf>>[number];
