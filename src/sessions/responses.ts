import * as z from 'zod';
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
    }),
  ),
});

export const tokenVerifySchema = z.object({
  valid: z.literal(true),
  claims: z.looseObject({ sub: z.string(), sid: z.string(), role: z.string(), email_verified: z.boolean(), iat: z.number(), exp: z.number() }),
});
