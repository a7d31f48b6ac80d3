import { and, asc, desc, isNotNull, isNull, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users } from '../db/schema';
import { searchCondition } from './search';
import type { UserListQuery, UserOrdering } from './schemas';
import { offsetOf } from './pagination';

/**
 * The admin users list. Every filter is combined with deleted_at and ordered by
 * date_joined, which is what the (filter, deleted_at, date_joined) indexes of migration
 * 0002 serve without a sort. With a search, the few rows its prefix indexes find are
 * filtered and sorted instead: the other filters are written `+column` there, SQLite's
 * way of keeping the planner from choosing a near-full index scan over them.
 */
export function userListWhere(query: UserListQuery): SQL | undefined {
  const search = searchCondition(query.search);
  const col = (column: AnyColumn) => (search ? sql`+${column}` : sql`${column}`);
  const conditions: (SQL | undefined)[] = [
    query.deleted ? isNotNull(col(users.deletedAt)) : isNull(col(users.deletedAt)),
    query.role ? sql`${col(users.role)} = ${query.role}` : undefined,
    query.is_active === undefined ? undefined : sql`${col(users.isActive)} = ${query.is_active ? 1 : 0}`,
    query.email_verified === undefined ? undefined : sql`${col(users.emailVerified)} = ${query.email_verified ? 1 : 0}`,
    query.mfa_enabled === undefined ? undefined : sql`${col(users.mfaEnabled)} = ${query.mfa_enabled ? 1 : 0}`,
    search,
  ];
  return and(...conditions);
}

const ORDER_COLUMNS = {
  date_joined: users.dateJoined,
  email: users.email,
  last_login: users.lastLogin,
  deleted_at: users.deletedAt,
  // By the case-insensitive key, which its unique index keeps in order.
  username: users.usernameKey,
  role: users.role,
} as const;

/** Newest first by default; the trash (deleted=true) by deletion time. rowid breaks ties and comes free with every index. */
export function userListOrder(query: UserListQuery): SQL[] {
  const ordering: UserOrdering = query.ordering ?? (query.deleted ? '-deleted_at' : '-date_joined');
  const descending = ordering.startsWith('-');
  const column = ORDER_COLUMNS[ordering.replace('-', '') as keyof typeof ORDER_COLUMNS];
  const direction = descending ? desc : asc;
  return [direction(column), direction(sql`${users}.rowid`)];
}

export async function listUsers(db: Db, query: UserListQuery) {
  const where = userListWhere(query);
  const [counted, rows] = await db.batch([
    db.select({ n: sql<number>`count(*)` }).from(users).where(where),
    db
      .select()
      .from(users)
      .where(where)
      .orderBy(...userListOrder(query))
      .limit(query.page_size)
      .offset(offsetOf(query)),
  ]);
  return { count: counted[0]?.n ?? 0, rows };
}
