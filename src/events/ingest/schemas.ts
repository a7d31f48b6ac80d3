import * as z from 'zod';
import { INGEST_EVENT_TYPES } from '../../audit/event-types';
import { descriptionField, metadataField } from '../schemas';

export const MAX_INGEST_BATCH = 100;

const ingestTypes = INGEST_EVENT_TYPES as readonly string[];
const id = z.string().trim().min(1).max(128);

/** One content event from another service. */
export const contentEvent = z
  .strictObject({
    event_type: z
      .string({ error: 'This field is required.' })
      .refine((t) => ingestTypes.includes(t), `Must be one of: ${ingestTypes.join(', ')}.`)
      .describe(`One of: ${ingestTypes.join(', ')}.`),
    user_id: id,
    target_user: id.optional(),
    /** The post (or other item) the event is about; post_create/post_delete need it (or metadata.content_id / metadata.post_id). */
    content_id: id.optional(),
    /** The sender's id: the same event_id twice is one event. */
    event_id: id.optional(),
    description: descriptionField.optional(),
    metadata: metadataField.optional(),
  })
  .transform((e) => ({ ...e, content_id: e.content_id ?? metadataId(e.metadata) }))
  .refine((e) => !['post_create', 'post_delete'].includes(e.event_type) || e.content_id, {
    message: 'post_create and post_delete need content_id.',
    path: ['content_id'],
  })
  .meta({ id: 'ContentEvent' });
export type ContentEvent = z.infer<typeof contentEvent>;

function metadataId(metadata: Record<string, unknown> | undefined): string | undefined {
  const value = metadata?.content_id ?? metadata?.post_id;
  return typeof value === 'string' && value.length > 0 && value.length <= 128 ? value : typeof value === 'number' ? String(value) : undefined;
}

export const ingestBatch = z
  .strictObject({
    events: z.array(contentEvent).min(1, 'Send at least one event.').max(MAX_INGEST_BATCH, `At most ${MAX_INGEST_BATCH} events at once.`),
  })
  .meta({ id: 'ContentEventBatch' });

/** One event, or `{events: [...]}` of 1 to 100: the shape is chosen by the `events` key, so errors name the right fields. */
export function ingestSchemaFor(body: unknown) {
  return body && typeof body === 'object' && 'events' in body ? ingestBatch : contentEvent;
}
