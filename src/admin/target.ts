import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { users, type UserRow } from '../db/schema';
import { ApiError } from '../http/errors';

export type DeletedScope = 'live' | 'deleted' | 'any';

/** The account an admin action is about; 404 when it does not exist in the scope asked for. */
export async function loadTarget(db: Db, id: string, scope: DeletedScope = 'live'): Promise<UserRow> {
  const user = await db.query.users.findFirst({ where: eq(users.id, id) });
  if (!user) throw new ApiError('not_found');
  if (scope === 'live' && user.deletedAt) throw new ApiError('not_found');
  if (scope === 'deleted' && !user.deletedAt) throw new ApiError('not_found');
  return user;
}
