import * as z from 'zod';
import { ROLES, SESSION_END_REASONS } from '../db/schema';
import { isoTime } from '../users/responses';

/** OpenAPI response schemas of the session routes. */
export const sessionListSchema = z.object({
  results: z.array(
    z.object({
      id: z.string(),
      created_at: isoTime,
      last_seen_at: isoTime,
      ip: z.string(),
      user_agent: z.string().nullable(),
      device: z.string().nullable().describe('The device the session signed in from, or null.'),
      current: z.boolean().describe('True for the session of the token that asks.'),
      // --- with ?include=ended (history.ts): every entry has these, ended ones the origin fields too ---
      ended_at: isoTime.nullable().optional().describe('With ?include=ended: when it ended, null while live.'),
      end_reason: z.enum(SESSION_END_REASONS).nullable().optional().describe('With ?include=ended: why it ended, null while live.'),
      time_spent: z.number().int().nonnegative().optional().describe('With ?include=ended: seconds in use.'),
      device_type: z.string().optional(),
      browser: z.string().optional(),
      os: z.string().optional(),
      country: z.string().optional(),
      city: z.string().optional(),
      colo: z.string().optional(),
    }),
  ),
});

export const tokenVerifySchema = z.object({
  valid: z.literal(true),
  claims: z.looseObject({ sub: z.string(), sid: z.string(), role: z.string(), email_verified: z.boolean(), iat: z.number(), exp: z.number() }),
});

/** A session as GET /auth/session/check and POST /auth/session/refresh show it (renewal.ts describeSession). */
export const sessionSchema = z.object({
  id: z.string(),
  created_at: isoTime,
  last_seen_at: isoTime,
  expires_at: isoTime.describe('When it ends unless used again (never after absolute_expires_at).'),
  absolute_expires_at: isoTime,
});

export const sessionCheckSchema = z.object({
  valid: z.literal(true),
  session: sessionSchema,
  user: z.object({ id: z.string(), role: z.enum(ROLES), email_verified: z.boolean() }),
});

export const sessionRenewalSchema = z.object({
  access: z.string().describe('A new access JWT of the same session.'),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int().nonnegative().describe('Seconds the new access token lives (fewer near the session\'s absolute end).'),
  session: sessionSchema,
});

/** A row of the session history (accounts/state/session-history.ts historyEntry), open or ended. */
export const sessionHistoryEntrySchema = z
  .object({
    id: z.string(),
    created_at: isoTime,
    last_seen_at: isoTime,
    ip: z.string(),
    user_agent: z.string().nullable(),
    device: z.string().nullable(),
    device_type: z.string(),
    browser: z.string(),
    os: z.string(),
    country: z.string().describe('From the edge at sign-in; empty when unknown.'),
    city: z.string(),
    colo: z.string(),
    ended_at: isoTime.nullable(),
    end_reason: z.enum(SESSION_END_REASONS).nullable(),
    time_spent: z.number().int().nonnegative().describe('Seconds in use.'),
  })
  .meta({ id: 'SessionHistoryEntry' });
