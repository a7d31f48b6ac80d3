import * as z from 'zod';
import { ACCOUNT_TYPES, COVER_MEDIA_TYPES } from '../db/schema';
import { blankless, booleanParam, pageFields } from '../admin/schemas';

export const profileListQuery = z.object({
  search: blankless(z.string().trim().max(100).optional()),
  country: blankless(
    z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2}$/, 'Enter an ISO 3166 alpha-2 country code.')
      .transform((v) => v.toUpperCase())
      .optional(),
  ),
  account_type: blankless(z.enum(ACCOUNT_TYPES).optional()),
  is_verified: blankless(booleanParam.optional()),
  ...pageFields,
});
export type ProfileListQuery = z.infer<typeof profileListQuery>;

const text = (max: number) => z.string().trim().max(max, `Ensure this field has no more than ${max} characters.`);
const httpUrl = z.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'Enter a valid http(s) URL.' }).max(500)]);

function isPastDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value && value >= '1900-01-01';
}

/**
 * The social fields an owner may write through `PATCH /auth/me` (`profile`). Counts, scores,
 * is_verified and suspension are absent, so they are dropped; `is_private` writes the one
 * source of truth (`profile_visibility`).
 */
export const ownerProfileFields = {
  display_name: text(100).optional(),
  cover_media_url: httpUrl.optional(),
  cover_media_type: z.enum(COVER_MEDIA_TYPES).optional(),
  date_of_birth: z.string().refine(isPastDate, 'Enter a valid date (YYYY-MM-DD).').nullable().optional(),
  city: text(100).optional(),
  country: z
    .union([z.literal(''), z.string().regex(/^[A-Za-z]{2}$/, 'Enter an ISO 3166 alpha-2 country code.')])
    .transform((v) => v.toUpperCase())
    .optional(),
  account_type: z.enum(['normal', 'data_provider'], { error: 'Choose normal or data_provider; professional comes with a professional profile.' }).optional(),
  is_private: z.boolean().optional(),
  show_email: z.boolean().optional(),
  show_phone: z.boolean().optional(),
  show_location: z.boolean().optional(),
};
