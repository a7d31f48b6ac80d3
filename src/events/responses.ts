import * as z from 'zod';
import { SEVERITIES } from '../db/schema';
import { EVENT_CATEGORIES } from '../audit/event-types';
import { isoTime } from '../users/responses';

/** OpenAPI response schemas of events (audit/serialize.ts serializeEvent builds them). */
export const eventSchema = z
  .object({
    id: z.string(),
    event_type: z.string(),
    category: z.enum(EVENT_CATEGORIES).nullable(),
    severity: z.enum(SEVERITIES),
    description: z.string(),
    success: z.boolean(),
    error_message: z.string().nullable(),
    metadata: z.record(z.string(), z.unknown()),
    target_user: z.string().nullable(),
    session_id: z.string().nullable(),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    risk_score: z.number().int().min(0).max(100),
    requires_review: z.boolean(),
    reviewed_at: isoTime.nullable(),
    reviewed_by: z.string().nullable(),
    created_at: isoTime.nullable(),
  })
  .meta({ id: 'Event' });

/** POST /internal/events: per event (in the order sent) whether it was new or a repeat of its event_id. */
export const ingestResultSchema = z.object({
  created: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  results: z.array(
    z.object({
      event_id: z.string().nullable().describe('The sender\'s event_id, or null when none was sent.'),
      id: z.string().describe('The stored event (the earlier one for a duplicate).'),
      status: z.enum(['created', 'duplicate']),
    }),
  ),
});
