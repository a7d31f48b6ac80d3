import { Hono, type Context } from 'hono';
import { and, eq } from 'drizzle-orm';
import type { AppEnv } from '../http/context';
import { validate } from '../http/validate';
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
import { documented } from '../http/openapi';
import { pageOf } from '../http/page';
import { followSchema } from './responses';
import { profileCardSchema } from '../profiles/responses';
import { dbOf } from '../http/db-session';

const followLimit = limitByUser('follows', (config) => config.socialLimits.follows);
const decisionLimit = limitByUser('follow_decisions', (config) => config.socialLimits.followDecisions);

export function actorOf(c: Context<AppEnv>): Actor {
  const meta = requestMeta(c);
  return { userId: c.get('auth').sub, ip: meta.ip, userAgent: meta.userAgent, now: clock.now() };
}

/** /api/v1/follows */
export const followRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .post('/', documented({ tags: ['follows'], summary: 'Follow someone (pending when their profile is not public)', auth: 'bearer', responses: { 200: followSchema, 201: followSchema } }), ...socialWrite, followLimit, validate('json', followBody), async (c) => {
    const { row, created } = await follow(dbOf(c), actorOf(c), c.req.valid('json'));
    if (created && row.status === 'accepted') evaluateAfterFollow(c, row);
    return c.json(serializeFollow(row), created ? 201 : 200);
  })
  .get('/', documented({ tags: ['follows'], summary: 'My follows (either direction)', auth: 'bearer', responses: { 200: pageOf(followSchema) } }), rejectRevokedSession, validate('query', followListQuery), async (c) => {
    const query = c.req.valid('query');
    const { count, rows } = await listFollows(dbOf(c), followListWhere(c.get('auth').sub, query), query);
    return c.json(toPage(c.req.url, query, count, rows.map(serializeFollow)));
  })
  .get('/requests', documented({ tags: ['follows'], summary: 'Follow requests waiting for me', auth: 'bearer', responses: { 200: pageOf(followSchema) } }), rejectRevokedSession, validate('query', pageQuery), async (c) => {
    const query = c.req.valid('query');
    const where = and(eq(follows.followedId, c.get('auth').sub), eq(follows.status, 'pending'))!;
    const { count, rows } = await listFollows(dbOf(c), where, query);
    return c.json(toPage(c.req.url, query, count, rows.map(serializeFollow)));
  })
  .post('/:id/approve', documented({ tags: ['follows'], summary: 'Approve a follow request', auth: 'bearer', responses: { 200: followSchema } }), ...socialWrite, decisionLimit, async (c) => {
    const row = await approve(dbOf(c), actorOf(c), c.req.param('id'));
    evaluateAfterFollow(c, row);
    return c.json(serializeFollow(row));
  })
  .post('/:id/reject', documented({ tags: ['follows'], summary: 'Reject a follow request', auth: 'bearer', responses: { 204: null } }), ...socialWrite, decisionLimit, async (c) => {
    await reject(dbOf(c), actorOf(c), c.req.param('id'));
    return c.body(null, 204);
  })
  .delete('/:id', documented({ tags: ['follows'], summary: 'Unfollow, or remove a follower', auth: 'bearer', responses: { 204: null } }), ...socialWrite, decisionLimit, async (c) => {
    await unfollow(dbOf(c), actorOf(c), c.req.param('id'));
    return c.body(null, 204);
  });

/** /api/v1/users/{id}/followers|following: cards of visible people, for viewers who see the full profile. */
export const followerListRoutes = new Hono<AppEnv>()
  .use(requireAuth, rejectRevokedSession)
  .get('/:id/followers', documented({ tags: ['follows'], summary: 'Followers of a user', auth: 'bearer', responses: { 200: pageOf(profileCardSchema) } }), validate('query', pageQuery), (c) => relationList(c, 'followers'))
  .get('/:id/following', documented({ tags: ['follows'], summary: 'Whom a user follows', auth: 'bearer', responses: { 200: pageOf(profileCardSchema) } }), validate('query', pageQuery), (c) => relationList(c, 'following'));

async function relationList(c: Context<AppEnv>, direction: 'followers' | 'following') {
  const db = dbOf(c);
  const query = pageQuery.parse(c.req.query());
  const view = await loadProfileView(db, c.get('auth').sub, c.req.param('id')!);
  if (view.visibility !== 'full') throw privateList();
  const { count, results } = await listRelation(db, view.viewer, view.user.id, direction, query);
  return c.json(toPage(c.req.url, query, count, results));
}
