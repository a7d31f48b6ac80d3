import * as z from 'zod';
import { BADGE_CATEGORIES, BADGE_RARITIES, type BadgeRarity } from '../db/schema';
import { criteriaSchema } from './criteria';

/**
 * Points by rarity: a badge's points must sit in its rarity's band, so a leaderboard of
 * points means the same across badges. Omitted points take the band's default.
 */
export const POINT_BANDS: Record<BadgeRarity, { min: number; max: number; default: number }> = {
  common: { min: 1, max: 20, default: 10 },
  rare: { min: 21, max: 50, default: 25 },
  epic: { min: 51, max: 100, default: 60 },
  legendary: { min: 101, max: 500, default: 150 },
};

export const slugSchema = z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'Lower-case letters, digits and dashes (at most 64).');

const fields = {
  slug: slugSchema,
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(500),
  category: z.enum(BADGE_CATEGORIES),
  icon: z.string().trim().max(64),
  color: z.union([z.literal(''), z.string().regex(/^#[0-9a-fA-F]{6}$/, 'A colour like #1e88e5.')]),
  image_url: z.union([z.literal(''), z.url({ protocol: /^https$/ }).max(2048)]),
  criteria: criteriaSchema,
  points: z.number().int().min(1).max(500),
  rarity: z.enum(BADGE_RARITIES),
  is_active: z.boolean(),
};

/** POST and PUT: the whole definition (slug from the name when absent; points from the rarity's band). */
export const definitionBody = z.strictObject({
  ...fields,
  slug: fields.slug.optional(),
  description: fields.description.default(''),
  icon: fields.icon.default(''),
  color: fields.color.default(''),
  image_url: fields.image_url.default(''),
  points: fields.points.optional(),
  is_active: fields.is_active.default(true),
});
export type DefinitionBody = z.infer<typeof definitionBody>;

/** PATCH: any of them. */
export const definitionPatch = z.strictObject(fields).partial();
export type DefinitionPatch = z.infer<typeof definitionPatch>;

export const definitionListQuery = z.object({
  category: z.enum(BADGE_CATEGORIES).optional(),
  rarity: z.enum(BADGE_RARITIES).optional(),
  is_active: z.enum(['true', 'false']).optional(),
});

/** "points" refused unless within the rarity's band. */
export function pointsProblem(points: number, rarity: BadgeRarity): string | null {
  const band = POINT_BANDS[rarity];
  return points < band.min || points > band.max ? `A ${rarity} badge is worth ${band.min}–${band.max} points.` : null;
}

export function slugFrom(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
  return slug || 'badge';
}
