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

const clientEventLimit = limitByUser('client_events', (config) => config.events.clientEvents);

/** /api/v1/events: the caller's own events (src/events/service.ts says which are theirs). */
export const eventRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .get('/', rejectRevokedSession, validate('query', eventListQuery), async (c) => {
    const query = c.req.valid('query');
    const { count, rows } = await listOwnEvents(contextOf(c), c.get('auth').sub, query);
    return c.json(toPage(c.req.url, query, count, rows.map(serializeEvent)));
  })
  .post('/', requireLiveSession, clientEventLimit, validate('json', clientEventBody), async (c) => {
    const { sub, sid } = c.get('auth');
    const row = await recordClientEvent(contextOf(c), sub, sid, c.req.valid('json'));
    return c.json(serializeEvent(row), 201);
  });
