import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { badges, userBadges, type BadgeRow, type UserBadgeRow } from '../db/schema';
import { listBadges } from '../badges/definitions';

export interface UserBadgeDetail {
  held: { row: UserBadgeRow; badge: BadgeRow }[];
  /** Active badges, for the award form. */
  available: BadgeRow[];
}

export const BADGE_FLASHES: Record<string, string> = {
  badge_awarded: 'The badge is awarded.',
  badge_already_held: 'They already hold that badge.',
  badge_revoked: 'The badge is revoked.',
};

/** What the user page shows of a user's badges (staff see inactive ones too). */
export async function userBadgeDetail(db: Db, userId: string): Promise<UserBadgeDetail> {
  const [held, available] = await Promise.all([
    db.select({ row: userBadges, badge: badges }).from(userBadges).innerJoin(badges, eq(badges.id, userBadges.badgeId)).where(eq(userBadges.userId, userId)).orderBy(desc(userBadges.earnedAt)),
    listBadges(db, { is_active: 'true' }, true),
  ]);
  return { held, available };
}
