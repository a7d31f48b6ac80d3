import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { validate } from '../http/validate';
import { createDb } from '../db/client';
import { requireAuth } from '../tokens';
import { rejectRevokedSession } from '../sessions/liveness';
import { limitByUser } from '../ratelimit/limit';
import { toPage } from '../admin/pagination';
import { socialWrite } from '../social/guards';
import { actorOf } from '../follows/routes';
import { pageQuery } from '../follows/schemas';
import { block, blockBody, listBlocks, serializeBlock, unblock } from './service';

const blockLimit = limitByUser('blocks', (config) => config.socialLimits.blocks);

/** /api/v1/blocks: the caller's own blocks. */
export const blockRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .post('/', ...socialWrite, blockLimit, validate('json', blockBody), async (c) => {
    const { user_id, reason } = c.req.valid('json');
    const { row, created } = await block(createDb(c.env.DB), actorOf(c), user_id, reason);
    return c.json(serializeBlock(row), created ? 201 : 200);
  })
  .get('/', rejectRevokedSession, validate('query', pageQuery), async (c) => {
    const query = c.req.valid('query');
    const { count, rows } = await listBlocks(createDb(c.env.DB), c.get('auth').sub, query);
    return c.json(toPage(c.req.url, query, count, rows.map(serializeBlock)));
  })
  .delete('/:id', ...socialWrite, blockLimit, async (c) => {
    await unblock(createDb(c.env.DB), actorOf(c), c.req.param('id'));
    return c.body(null, 204);
  });
