import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { validate } from '../http/validate';
import { contextOf } from '../http/request-context';
import { requireAuth } from '../tokens';
import { rejectRevokedSession, requireLiveSession } from '../sessions/liveness';
import { limitByUser } from '../ratelimit/limit';
import { toPage } from '../admin/pagination';
import { serializeEvent } from '../audit/serialize';
import { clientEventBody, eventListQuery } from './schemas';
import { listOwnEvents, recordClientEvent } from './service';
import { documented } from '../http/openapi';
import { pageOf } from '../http/page';
import { eventSchema } from './responses';

const clientEventLimit = limitByUser('client_events', (config) => config.events.clientEvents);

/** /api/v1/events: the caller's own events (src/events/service.ts says which are theirs). */
export const eventRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .get('/', documented({ tags: ['events'], auth: 'bearer', summary: 'Your own events, newest first', responses: { 200: pageOf(eventSchema) } }), rejectRevokedSession, validate('query', eventListQuery), async (c) => {
    const query = c.req.valid('query');
    const { count, rows } = await listOwnEvents(contextOf(c), c.get('auth').sub, query);
    return c.json(toPage(c.req.url, query, count, rows.map(serializeEvent)));
  })
  .post('/', documented({ tags: ['events'], auth: 'bearer', summary: 'Record a client event (client types only)', responses: { 201: eventSchema } }), requireLiveSession, clientEventLimit, validate('json', clientEventBody), async (c) => {
    const { sub, sid } = c.get('auth');
    const row = await recordClientEvent(contextOf(c), sub, sid, c.req.valid('json'));
    return c.json(serializeEvent(row), 201);
  });
