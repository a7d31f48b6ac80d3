import type { BadgeRow, UserBadgeRow } from '../db/schema';
import { parseStoredCriteria } from './criteria';

export function serializeBadge(b: BadgeRow) {
  return {
    id: b.id,
    slug: b.slug,
    name: b.name,
    description: b.description,
    category: b.category,
    icon: b.icon,
    color: b.color,
    image_url: b.imageUrl,
    criteria: parseStoredCriteria(b.criteria),
    points: b.points,
    rarity: b.rarity,
    is_active: b.isActive,
    created_at: b.createdAt.toISOString(),
  };
}

export function serializeUserBadge(row: UserBadgeRow, badge: BadgeRow) {
  return {
    id: row.id,
    user: row.userId,
    badge: serializeBadge(badge),
    earned_at: row.earnedAt.toISOString(),
    is_featured: row.isFeatured,
    progress_data: JSON.parse(row.progressData) as Record<string, unknown>,
  };
}
