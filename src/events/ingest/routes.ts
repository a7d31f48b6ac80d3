import { Hono } from 'hono';
import type { AppEnv } from '../../http/context';
import { validationError } from '../../http/errors';
import { fieldErrors } from '../../http/validate';
import { contextOf } from '../../http/request-context';
import { requireServiceToken } from './service-token';
import { ingestSchemaFor, type ContentEvent } from './schemas';
import { ingestContentEvents } from './service';
import { afterContentEvents, factsOfContentEvents } from './after-content';
import { documented } from '../../http/openapi';
import { ingestResultSchema } from '../responses';
import { contentEvent, ingestBatch } from './schemas';
import * as z from 'zod';

/** /api/v1/internal/events: content events from other services (README "Event ingestion"). */
export const ingestRoutes = new Hono<AppEnv>().post(
  '/events',
  // The body is parsed below, not by validate(): the `events` key picks the schema (schemas.ts ingestSchemaFor), so errors name the right fields.
  documented({ tags: ['events'], auth: 'service', summary: 'Ingest content events from another service (one, or {events: [...]} of 1 to 100)', requestBody: { schema: z.union([contentEvent, ingestBatch]), required: true }, responses: { 200: ingestResultSchema } }),
  requireServiceToken, async (c) => {
  const raw: unknown = await c.req.json();
  const parsed = ingestSchemaFor(raw).safeParse(raw);
  if (!parsed.success) throw validationError(fieldErrors(parsed.error));
  const batch = 'events' in parsed.data;
  const events: ContentEvent[] = 'events' in parsed.data ? parsed.data.events : [parsed.data];
  const ctx = contextOf(c);
  const { outcomes } = await ingestContentEvents(ctx, events, (i) => (batch ? `events.${i}.` : ''));
  const created = new Set(outcomes.flatMap((o, i) => (o.status === 'created' ? [i] : [])));
  const facts = factsOfContentEvents(events, created);
  await afterContentEvents(ctx, facts);
  ctx.log.info('content events ingested', {
    received: events.length,
    created: outcomes.filter((o) => o.status === 'created').length,
    users_affected: facts.size,
  });
  return c.json({
    created: outcomes.filter((o) => o.status === 'created').length,
    duplicates: outcomes.filter((o) => o.status === 'duplicate').length,
    results: outcomes,
  });
});
