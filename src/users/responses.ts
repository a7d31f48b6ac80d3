import * as z from 'zod';
import { ROLES } from '../db/schema';

/** What routes answer about users and sign-in (OpenAPI response schemas; serialize.ts builds them). */
export const isoTime = z.iso.datetime({ offset: true });

export const publicUserSchema = z
  .object({
    id: z.string(),
    // null: an account signing in by username and phone only (issue 16).
    email: z.string().nullable(),
    username: z.string().nullable(),
    phone_number: z.string().nullable(),
    first_name: z.string(),
    last_name: z.string(),
    role: z.enum(ROLES),
    is_active: z.boolean(),
    email_verified: z.boolean(),
    mfa_enabled: z.boolean(),
    date_joined: isoTime,
    last_login: isoTime.nullable(),
  })
  .meta({ id: 'User' });

export const tokenResponseSchema = z
  .object({
    access: z.string().describe('Access JWT: send as Authorization: Bearer.'),
    refresh: z.string().describe('Refresh token: single use, rotated by POST /auth/refresh.'),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int().positive().describe('Seconds the access token lives.'),
    user: publicUserSchema,
  })
  .meta({ id: 'Tokens' });

export const mfaRequiredSchema = z
  .object({ mfa_required: z.literal(true), mfa_token: z.string().describe('Send with the second factor to POST /auth/mfa/verify.') })
  .meta({ id: 'MfaRequired' });

/** A first factor's answer: tokens, or the request for the second factor. */
export const signInResultSchema = z.union([tokenResponseSchema, mfaRequiredSchema]);

export const registeredSchema = z.object({ user: publicUserSchema, message: z.string() });

/** GET/PATCH /auth/me: the user and the owner's view of their profile. */
export const meSchema = publicUserSchema
  .extend({
    profile: z.looseObject({
      bio: z.string(),
      avatar_url: z.string(),
      location: z.string(),
      website: z.string(),
      timezone: z.string(),
      language: z.string(),
    }),
  })
  .meta({ id: 'Me' });
