import * as z from 'zod';
import { blankless, instant, pageFields, severityParam } from '../admin/schemas';
import { CLIENT_EVENT_TYPES, EVENT_CATEGORIES, isEventType } from '../audit/event-types';

/** Serialized metadata a client may attach to an event (API.md: ≤ 2 KiB). */
export const MAX_METADATA_BYTES = 2048;

export const metadataField = z
  .record(z.string(), z.unknown(), { error: 'Must be a JSON object.' })
  .refine((m) => new TextEncoder().encode(JSON.stringify(m)).length <= MAX_METADATA_BYTES, `Must be at most ${MAX_METADATA_BYTES} bytes as JSON.`);

export const descriptionField = z.string().trim().max(500, 'Ensure this field has no more than 500 characters.');

/** GET /events */
export const eventListQuery = z.object({
  type: blankless(z.string().trim().regex(/^[a-z_]{1,64}$/, 'Enter a valid event type.').optional()),
  category: blankless(z.enum(EVENT_CATEGORIES).optional()),
  severity: blankless(severityParam.optional()),
  since: blankless(instant.optional()),
  until: blankless(instant.optional()),
  ...pageFields,
});
export type EventListQuery = z.infer<typeof eventListQuery>;

const clientTypes = CLIENT_EVENT_TYPES as readonly string[];

/** POST /events: client types only; security, admin, badge and content types are the server's to record. */
export const clientEventBody = z.strictObject({
  event_type: z
    .string({ error: 'This field is required.' })
    .refine(isEventType, 'Unknown event type.')
    .refine((t) => clientTypes.includes(t), `Clients may post only: ${clientTypes.join(', ')}.`)
    .describe(`One of: ${clientTypes.join(', ')}.`),
  description: descriptionField.optional(),
  metadata: metadataField.optional(),
  success: z.boolean().optional(),
});
export type ClientEventBody = z.infer<typeof clientEventBody>;
