import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users } from '../db/schema';

/** id -> email for the accounts named in a page of events (by primary key; deleted ones included). */
export async function emailsOf(db: Db, ids: (string | null)[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter((id): id is string => Boolean(id)))].slice(0, 90);
  if (unique.length === 0) return new Map();
  const rows = await db.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, unique));
  // An account without an email is named by nothing here (the page falls back to its id).
  return new Map(rows.flatMap((r) => (r.email ? [[r.id, r.email] as const] : [])));
}
