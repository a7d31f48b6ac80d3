import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/context';
import { fieldErrors, validate } from '../http/validate';
import { contextOf } from '../http/request-context';
import { ApiError, validationError } from '../http/errors';
import { requireAuth } from '../tokens';
import { rejectRevokedSession } from '../sessions/liveness';
import { socialWrite } from '../social/guards';
import { limitByUser } from '../ratelimit/limit';
import { loadProfileView, loadViewer } from '../profiles/load';
import { isStaffRole } from '../admin/permissions';
import { adminAuth } from '../admin/api-auth';
import { authorize } from '../admin/roles';
import { adminContext } from '../admin/context';
import { definitionBody, definitionListQuery, definitionPatch } from './definition-schemas';
import { createBadge, deleteBadge, findBadge, listBadges, updateBadge } from './definitions';
import { serializeBadge, serializeUserBadge } from './serialize';
import { awardBody, featuredBody, leaderboardQuery, revokeBody, userBadgeListQuery } from './schemas';
import { getUserBadge, listUserBadges, setFeatured } from './user-badges';
import { leaderboard } from './leaderboard';
import { progressOf } from './evaluate';
import { awardByStaff, revokeByStaff } from './staff-awards';
import { badgeAnalytics } from './analytics';
import { documented } from '../http/openapi';
import { badgeAnalyticsSchema, badgeProgressSchema, badgeSchema, leaderboardSchema, userBadgeSchema } from './responses';
import * as z from 'zod';
import { dbOf } from '../http/db-session';

const featureLimit = limitByUser('badge_features', (config) => config.socialLimits.updates);
const isStaffViewer = async (c: Context<AppEnv>) => isStaffRole((await loadViewer(dbOf(c), c.get('auth').sub)).role);

/** /api/v1/badges: definitions (everyone reads active ones; admins write) and the leaderboard. */
export const badgeRoutes = new Hono<AppEnv>()
  .get('/leaderboard', documented({ tags: ['badges'], auth: 'bearer', summary: 'The leaderboard by badge points (without blocked accounts)', responses: { 200: leaderboardSchema } }), requireAuth, rejectRevokedSession, validate('query', leaderboardQuery), async (c) => {
    const { timeframe, limit } = c.req.valid('query');
    return c.json(await leaderboard(contextOf(c), c.get('auth').sub, timeframe, limit));
  })
  .get('/', documented({ tags: ['badges'], auth: 'bearer', summary: 'Badge definitions (active ones; staff see all)', responses: { 200: z.array(badgeSchema) } }), requireAuth, rejectRevokedSession, validate('query', definitionListQuery), async (c) => {
    const rows = await listBadges(dbOf(c), c.req.valid('query'), await isStaffViewer(c));
    return c.json(rows.map(serializeBadge));
  })
  .get('/:id', documented({ tags: ['badges'], auth: 'bearer', summary: 'A badge definition', responses: { 200: badgeSchema } }), requireAuth, rejectRevokedSession, async (c) => {
    return c.json(serializeBadge(await findBadge(dbOf(c), c.req.param('id'), await isStaffViewer(c))));
  })
  .post('/', documented({ tags: ['badges'], auth: 'bearer', summary: 'Create a badge (admin)', responses: { 201: badgeSchema } }), ...adminAuth, authorize('badges.manage'), validate('json', definitionBody), async (c) => {
    return c.json(serializeBadge(await createBadge(adminContext(c), c.req.valid('json'))), 201);
  })
  .put('/:id', documented({ tags: ['badges'], auth: 'bearer', summary: 'Replace a badge definition (admin)', responses: { 200: badgeSchema } }), ...adminAuth, authorize('badges.manage'), validate('json', definitionBody), async (c) => {
    return c.json(serializeBadge(await updateBadge(adminContext(c), c.req.param('id'), c.req.valid('json'))));
  })
  .patch('/:id', documented({ tags: ['badges'], auth: 'bearer', summary: 'Change a badge definition (admin)', responses: { 200: badgeSchema } }), ...adminAuth, authorize('badges.manage'), validate('json', definitionPatch), async (c) => {
    return c.json(serializeBadge(await updateBadge(adminContext(c), c.req.param('id'), c.req.valid('json'))));
  })
  .delete('/:id', documented({ tags: ['badges'], auth: 'bearer', summary: 'Delete a badge nobody holds (admin)', responses: { 204: null } }), ...adminAuth, authorize('badges.manage'), async (c) => {
    await deleteBadge(adminContext(c), c.req.param('id'));
    return c.body(null, 204);
  });

/** /api/v1/user-badges: held badges under profile visibility; the owner features; admins award. */
export const userBadgeRoutes = new Hono<AppEnv>()
  .get('/', documented({ tags: ['badges'], auth: 'bearer', summary: 'The badges a user holds (yourself by default)', responses: { 200: z.array(userBadgeSchema) } }), requireAuth, rejectRevokedSession, validate('query', userBadgeListQuery), async (c) => {
    const { user, featured } = c.req.valid('query');
    const me = c.get('auth').sub;
    const rows = await listUserBadges(dbOf(c), me, !user || user === 'me' ? me : user, featured);
    return c.json(rows.map((h) => serializeUserBadge(h.row, h.badge)));
  })
  .get('/:id', documented({ tags: ['badges'], auth: 'bearer', summary: 'A held badge', responses: { 200: userBadgeSchema } }), requireAuth, rejectRevokedSession, async (c) => {
    const h = await getUserBadge(dbOf(c), c.get('auth').sub, c.req.param('id'));
    return c.json(serializeUserBadge(h.row, h.badge));
  })
  .patch('/:id', documented({ tags: ['badges'], auth: 'bearer', summary: 'Feature or unfeature one of your badges', responses: { 200: userBadgeSchema } }), requireAuth, ...socialWrite, featureLimit, validate('json', featuredBody), async (c) => {
    const h = await setFeatured(contextOf(c), c.get('auth').sub, c.req.param('id'), c.req.valid('json').is_featured);
    return c.json(serializeUserBadge(h.row, h.badge));
  })
  .post('/', documented({ tags: ['badges'], auth: 'bearer', summary: 'Award a badge (staff); 200 when already held', responses: { 201: userBadgeSchema, 200: userBadgeSchema } }), ...adminAuth, authorize('badges.award'), validate('json', awardBody), async (c) => {
    const body = c.req.valid('json');
    const { row, badge, created } = await awardByStaff(adminContext(c), body.user_id, body.badge, body.reason ?? '');
    return c.json(serializeUserBadge(row, badge), created ? 201 : 200);
  });

/** /api/v1/users/{id}/badge-progress: the owner and staff (a user's streaks and scores are theirs). */
export const badgeProgressRoutes = new Hono<AppEnv>().get('/:id/badge-progress', documented({ tags: ['badges'], auth: 'bearer', summary: 'How far a user is toward the badges they lack (owner and staff)', responses: { 200: badgeProgressSchema } }), requireAuth, rejectRevokedSession, async (c) => {
  const ctx = contextOf(c);
  const view = await loadProfileView(ctx.db, c.get('auth').sub, c.req.param('id'));
  if (view.viewer.id !== view.user.id && !isStaffRole(view.viewer.role)) throw new ApiError('forbidden', 'Only the owner and staff see badge progress.');
  const entries = await progressOf(ctx, view.user.id);
  return c.json({
    eligible_badges: entries
      .sort((a, b) => b.assessment.progress - a.assessment.progress || a.badge.slug.localeCompare(b.badge.slug))
      .map((e) => ({
        badge: serializeBadge(e.badge),
        progress: e.assessment.progress,
        requirements_met: e.assessment.requirementsMet,
        total_requirements: e.assessment.totalRequirements,
      })),
  });
});

/** /api/v1/admin: badge analytics and revoking an award. */
export const badgeAdminRoutes = new Hono<AppEnv>()
  .use('/badges/*', ...adminAuth)
  .use('/user-badges/*', ...adminAuth)
  .get('/badges/analytics', documented({ tags: ['badges'], auth: 'bearer', summary: 'Badge figures: totals, by category and rarity, top badges, recent awards', responses: { 200: badgeAnalyticsSchema } }), authorize('badges.read'), async (c) => {
    const ctx = contextOf(c);
    return c.json(await badgeAnalytics(ctx.db, ctx.now));
  })
  .delete('/user-badges/:id', documented({ tags: ['badges'], auth: 'bearer', summary: 'Revoke an award (staff)', requestBody: { schema: revokeBody, required: false }, responses: { 204: null } }), authorize('badges.award'), async (c) => {
    const parsed = revokeBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) throw validationError(fieldErrors(parsed.error));
    await revokeByStaff(adminContext(c), c.req.param('id'), parsed.data?.reason ?? '');
    return c.body(null, 204);
  });
