import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { validate } from '../http/validate';
import { requireAuth } from '../tokens';
import { rejectRevokedSession } from '../sessions/liveness';
import { limitByUser } from '../ratelimit/limit';
import { toPage } from '../admin/pagination';
import { socialWrite } from '../social/guards';
import { actorOf } from '../follows/routes';
import { pageQuery } from '../follows/schemas';
import { block, blockBody, listBlocks, serializeBlock, unblock } from './service';
import { documented } from '../http/openapi';
import { pageOf } from '../http/page';
import { blockSchema } from '../follows/responses';
import { dbOf } from '../http/db-session';

const blockLimit = limitByUser('blocks', (config) => config.socialLimits.blocks);

/** /api/v1/blocks: the caller's own blocks. */
export const blockRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .post('/', documented({ tags: ['blocks'], summary: 'Block someone (ends follows both ways)', auth: 'bearer', responses: { 200: blockSchema, 201: blockSchema } }), ...socialWrite, blockLimit, validate('json', blockBody), async (c) => {
    const { user_id, reason } = c.req.valid('json');
    const { row, created } = await block(dbOf(c), actorOf(c), user_id, reason);
    return c.json(serializeBlock(row), created ? 201 : 200);
  })
  .get('/', documented({ tags: ['blocks'], summary: 'My blocks', auth: 'bearer', responses: { 200: pageOf(blockSchema) } }), rejectRevokedSession, validate('query', pageQuery), async (c) => {
    const query = c.req.valid('query');
    const { count, rows } = await listBlocks(dbOf(c), c.get('auth').sub, query);
    return c.json(toPage(c.req.url, query, count, rows.map(serializeBlock)));
  })
  .delete('/:id', documented({ tags: ['blocks'], summary: 'Unblock', auth: 'bearer', responses: { 204: null } }), ...socialWrite, blockLimit, async (c) => {
    await unblock(dbOf(c), actorOf(c), c.req.param('id'));
    return c.body(null, 204);
  });
