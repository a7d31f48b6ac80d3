import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { validate } from '../http/validate';
import { requireAuth } from '../tokens';
import { rejectRevokedSession } from '../sessions/liveness';
import { limitByUser } from '../ratelimit/limit';
import { toPage } from '../admin/pagination';
import { socialWrite } from '../social/guards';
import { actorOf } from '../follows/routes';
import { loadProfileView, loadViewer } from '../profiles/load';
import { serializeProfessional } from '../profiles/serialize';
import { ApiError } from '../http/errors';
import { professionalListQuery, professionalPatch, professionalPut } from './schemas';
import { createProfessional, deleteProfessional, listProfessionals, updateProfessional } from './service';
import { documented } from '../http/openapi';
import { pageOf } from '../http/page';
import { professionalSchema } from '../profiles/responses';
import { dbOf } from '../http/db-session';

const updateLimit = limitByUser('social_updates', (config) => config.socialLimits.updates);

/** /api/v1/professional-profiles */
export const professionalRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .get('/', documented({ tags: ['professional'], summary: 'Search professional profiles', auth: 'bearer', responses: { 200: pageOf(professionalSchema) } }), rejectRevokedSession, validate('query', professionalListQuery), async (c) => {
    const db = dbOf(c);
    const query = c.req.valid('query');
    const { count, rows } = await listProfessionals(db, await loadViewer(db, c.get('auth').sub), query);
    return c.json(toPage(c.req.url, query, count, rows.map(serializeProfessional)));
  })
  .post('/', documented({ tags: ['professional'], summary: 'Create my professional profile', auth: 'bearer', responses: { 201: professionalSchema } }), ...socialWrite, updateLimit, validate('json', professionalPatch), async (c) => {
    return c.json(serializeProfessional(await createProfessional(dbOf(c), actorOf(c), c.req.valid('json'))), 201);
  })
  .patch('/me', documented({ tags: ['professional'], summary: 'Change my professional profile', auth: 'bearer', responses: { 200: professionalSchema } }), ...socialWrite, updateLimit, validate('json', professionalPatch), async (c) => {
    return c.json(serializeProfessional(await updateProfessional(dbOf(c), actorOf(c), c.req.valid('json'))));
  })
  .put('/me', documented({ tags: ['professional'], summary: 'Replace my professional profile', auth: 'bearer', responses: { 200: professionalSchema } }), ...socialWrite, updateLimit, validate('json', professionalPut), async (c) => {
    return c.json(serializeProfessional(await updateProfessional(dbOf(c), actorOf(c), c.req.valid('json'))));
  })
  .delete('/me', documented({ tags: ['professional'], summary: 'Delete my professional profile', auth: 'bearer', responses: { 204: null } }), ...socialWrite, updateLimit, async (c) => {
    await deleteProfessional(dbOf(c), actorOf(c));
    return c.body(null, 204);
  })
  // A professional profile is part of the full profile: the same visibility decides.
  .get('/:user_id', documented({ tags: ['professional'], summary: 'A user\'s professional profile', auth: 'bearer', responses: { 200: professionalSchema } }), rejectRevokedSession, async (c) => {
    const view = await loadProfileView(dbOf(c), c.get('auth').sub, c.req.param('user_id'));
    if (view.visibility !== 'full' || !view.professional) throw new ApiError('not_found');
    return c.json(serializeProfessional(view.professional));
  });
