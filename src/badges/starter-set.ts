import type { BadgeCategory, BadgeRarity } from '../db/schema';
import type { Criteria } from './criteria';

export interface StarterBadge {
  slug: string;
  name: string;
  description: string;
  category: BadgeCategory;
  icon: string;
  color: string;
  rarity: BadgeRarity;
  points: number;
  criteria: Criteria;
}

/**
 * The replaced app's badges, as an optional starting point (`npm run seed-badges`): nothing
 * installs them unless asked, and seeding again adds only the slugs that are missing.
 */
export const STARTER_BADGES: StarterBadge[] = [
  { slug: 'first-post', name: 'First Post', description: 'Published a first post.', category: 'achievement', icon: 'pencil', color: '#1e88e5', rarity: 'common', points: 10, criteria: { type: 'counter', field: 'posts_count', threshold: 1 } },
  { slug: 'popular', name: 'Popular', description: 'Followed by 100 people.', category: 'achievement', icon: 'users', color: '#43a047', rarity: 'rare', points: 25, criteria: { type: 'counter', field: 'follower_count', threshold: 100 } },
  { slug: 'influencer', name: 'Influencer', description: 'Followed by 1,000 people.', category: 'achievement', icon: 'megaphone', color: '#8e24aa', rarity: 'epic', points: 75, criteria: { type: 'counter', field: 'follower_count', threshold: 1000 } },
  { slug: 'early-adopter', name: 'Early Adopter', description: 'One of the first 1,000 members.', category: 'special', icon: 'rocket', color: '#f4511e', rarity: 'legendary', points: 150, criteria: { type: 'join_rank', max: 1000 } },
  { slug: 'consistent-contributor', name: 'Consistent Contributor', description: 'Posted seven days in a row.', category: 'activity', icon: 'calendar', color: '#00897b', rarity: 'rare', points: 30, criteria: { type: 'consecutive_days', action: 'post', days: 7 } },
  {
    slug: 'quality-creator',
    name: 'Quality Creator',
    description: 'Ten posts or more with a content quality score of 4.5 or better.',
    category: 'achievement',
    icon: 'gem',
    color: '#3949ab',
    rarity: 'epic',
    points: 60,
    criteria: { type: 'multi_criteria', logic: 'AND', requirements: [{ field: 'posts_count', operator: '>=', value: 10 }, { field: 'content_quality_score', operator: '>=', value: 4.5 }] },
  },
  { slug: 'dedicated', name: 'Dedicated', description: 'Signed in seven days in a row.', category: 'activity', icon: 'flame', color: '#e53935', rarity: 'common', points: 15, criteria: { type: 'consecutive_days', action: 'login', days: 7 } },
  { slug: 'social-butterfly', name: 'Social Butterfly', description: '50 likes, comments or shares in 30 days.', category: 'activity', icon: 'butterfly', color: '#d81b60', rarity: 'rare', points: 25, criteria: { type: 'social_interaction', interactions: ['like', 'comment', 'share'], min_count: 50, timeframe: '30d' } },
  { slug: 'conversation-starter', name: 'Conversation Starter', description: 'Wrote ten comments.', category: 'activity', icon: 'chat', color: '#5e35b1', rarity: 'common', points: 10, criteria: { type: 'event_based', event_type: 'comment_create', count: 10 } },
  { slug: 'veteran', name: 'Veteran', description: 'A member for a year.', category: 'special', icon: 'medal', color: '#6d4c41', rarity: 'rare', points: 40, criteria: { type: 'counter', field: 'days_since_join', threshold: 365 } },
  { slug: 'community-hero', name: 'Community Hero', description: 'Awarded by staff for outstanding help.', category: 'special', icon: 'star', color: '#fdd835', rarity: 'legendary', points: 200, criteria: { type: 'manual' } },
];
