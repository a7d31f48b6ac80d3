import * as z from 'zod';
import { ACCOUNT_TYPES, COVER_MEDIA_TYPES } from '../db/schema';
import { isoTime } from '../users/responses';

/** OpenAPI response schemas of profiles (serialize.ts builds the answers). */
export const professionalSchema = z
  .object({
    user_id: z.string(),
    description: z.string(),
    phone: z.string(),
    website: z.string(),
    business_address: z.string(),
    company_name: z.string(),
    job_title: z.string(),
    years_experience: z.number().int().nonnegative(),
    certifications: z.array(z.string()),
    services_offered: z.array(z.string()),
    is_verified: z.boolean(),
    verified_at: isoTime.nullable(),
    created_at: isoTime,
    updated_at: isoTime,
  })
  .meta({ id: 'ProfessionalProfile' });

/** Staff see who verified a professional profile and why. */
export const professionalAdminSchema = professionalSchema.extend({ verification_note: z.string(), verified_by: z.string().nullable() });

export const profileCardSchema = z
  .object({
    user_id: z.string(),
    username: z.string().nullable(),
    display_name: z.string(),
    avatar_url: z.string(),
    bio: z.string(),
    is_private: z.boolean(),
    is_verified: z.boolean(),
    account_type: z.enum(ACCOUNT_TYPES),
    follower_count: z.number().int().nonnegative(),
    following_count: z.number().int().nonnegative(),
    posts_count: z.number().int().nonnegative(),
    badge_points: z.number().int().nonnegative(),
    total_badges: z.number().int().nonnegative(),
    follow_status: z.enum(['none', 'pending', 'following', 'self']),
  })
  .meta({ id: 'ProfileCard' });

/**
 * A profile as its viewer may see it: the card, plus (full visibility) the rest; email,
 * phone and place only when the owner shows them, owner and staff fields to those.
 */
export const profileSchema = profileCardSchema
  .extend({
    cover_media_url: z.string().optional(),
    cover_media_type: z.enum(COVER_MEDIA_TYPES).optional(),
    website: z.string().optional(),
    date_joined: isoTime.optional(),
    professional_profile: professionalSchema.nullable().optional(),
    email: z.string().nullable().optional(),
    phone_number: z.string().nullable().optional(),
    city: z.string().optional(),
    country: z.string().optional(),
    date_of_birth: z.string().nullable().optional(),
    last_active: isoTime.nullable().optional(),
    show_email: z.boolean().optional(),
    show_phone: z.boolean().optional(),
    show_location: z.boolean().optional(),
    is_suspended: z.boolean().optional(),
    suspension_reason: z.string().optional(),
    engagement_score: z.number().optional(),
    content_quality_score: z.number().optional(),
    interaction_frequency: z.number().optional(),
    created_at: isoTime.optional(),
    updated_at: isoTime.optional(),
  })
  .meta({ id: 'Profile' });
