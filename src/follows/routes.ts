import { Hono, type Context } from 'hono';
import { and, eq } from 'drizzle-orm';
import type { AppEnv } from '../http/context';
import { validate } from '../http/validate';
import { createDb } from '../db/client';
import { follows } from '../db/schema';
import { clock } from '../clock';
import { requireAuth } from '../tokens';
import { rejectRevokedSession } from '../sessions/liveness';
import { limitByUser } from '../ratelimit/limit';
import { requestMeta } from '../http/request-meta';
import { toPage } from '../admin/pagination';
import { socialWrite } from '../social/guards';
import { loadProfileView } from '../profiles/load';
import { followBody, followListQuery, pageQuery } from './schemas';
import { approve, follow, reject, unfollow, type Actor } from './service';
import { followListWhere, listFollows, listRelation, privateList } from './lists';
import { serializeFollow } from './serialize';
import { evaluateAfterFollow } from '../badges/triggers';

const followLimit = limitByUser('follows', (config) => config.socialLimits.follows);
const decisionLimit = limitByUser('follow_decisions', (config) => config.socialLimits.followDecisions);

export function actorOf(c: Context<AppEnv>): Actor {
  const meta = requestMeta(c);
  return { userId: c.get('auth').sub, ip: meta.ip, userAgent: meta.userAgent, now: clock.now() };
}

/** /api/v1/follows */
export const followRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .post('/', ...socialWrite, followLimit, validate('json', followBody), async (c) => {
    const { row, created } = await follow(createDb(c.env.DB), actorOf(c), c.req.valid('json'));
    if (created && row.status === 'accepted') evaluateAfterFollow(c, row);
    return c.json(serializeFollow(row), created ? 201 : 200);
  })
  .get('/', rejectRevokedSession, validate('query', followListQuery), async (c) => {
    const query = c.req.valid('query');
    const { count, rows } = await listFollows(createDb(c.env.DB), followListWhere(c.get('auth').sub, query), query);
    return c.json(toPage(c.req.url, query, count, rows.map(serializeFollow)));
  })
  .get('/requests', rejectRevokedSession, validate('query', pageQuery), async (c) => {
    const query = c.req.valid('query');
    const where = and(eq(follows.followedId, c.get('auth').sub), eq(follows.status, 'pending'))!;
    const { count, rows } = await listFollows(createDb(c.env.DB), where, query);
    return c.json(toPage(c.req.url, query, count, rows.map(serializeFollow)));
  })
  .post('/:id/approve', ...socialWrite, decisionLimit, async (c) => {
    const row = await approve(createDb(c.env.DB), actorOf(c), c.req.param('id'));
    evaluateAfterFollow(c, row);
    return c.json(serializeFollow(row));
  })
  .post('/:id/reject', ...socialWrite, decisionLimit, async (c) => {
    await reject(createDb(c.env.DB), actorOf(c), c.req.param('id'));
    return c.body(null, 204);
  })
  .delete('/:id', ...socialWrite, decisionLimit, async (c) => {
    await unfollow(createDb(c.env.DB), actorOf(c), c.req.param('id'));
    return c.body(null, 204);
  });

/** /api/v1/users/{id}/followers|following: cards of visible people, for viewers who see the full profile. */
export const followerListRoutes = new Hono<AppEnv>()
  .use(requireAuth, rejectRevokedSession)
  .get('/:id/followers', validate('query', pageQuery), (c) => relationList(c, 'followers'))
  .get('/:id/following', validate('query', pageQuery), (c) => relationList(c, 'following'));

async function relationList(c: Context<AppEnv>, direction: 'followers' | 'following') {
  const db = createDb(c.env.DB);
  const query = pageQuery.parse(c.req.query());
  const view = await loadProfileView(db, c.get('auth').sub, c.req.param('id')!);
  if (view.visibility !== 'full') throw privateList();
  const { count, results } = await listRelation(db, view.viewer, view.user.id, direction, query);
  return c.json(toPage(c.req.url, query, count, results));
}
