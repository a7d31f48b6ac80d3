import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { validate } from '../http/validate';
import { requireAuth } from '../tokens';
import { rejectRevokedSession } from '../sessions/liveness';
import { toPage } from '../admin/pagination';
import { profileListQuery } from './schemas';
import { listProfiles } from './search';
import { loadProfileView, loadProfileViewByUsername, loadViewer } from './load';
import { profileForViewer } from './serialize';
import { documented } from '../http/openapi';
import { pageOf } from '../http/page';
import { profileCardSchema, profileSchema } from './responses';
import { dbOf } from '../http/db-session';

/** /api/v1/profiles: signed-in readers only (blocks and follows depend on who asks). */
export const profileRoutes = new Hono<AppEnv>()
  .get('/', documented({ tags: ['profiles'], summary: 'Search profiles', auth: 'bearer', responses: { 200: pageOf(profileCardSchema) } }), requireAuth, rejectRevokedSession, validate('query', profileListQuery), async (c) => {
    const db = dbOf(c);
    const query = c.req.valid('query');
    const { count, results } = await listProfiles(db, await loadViewer(db, c.get('auth').sub), query);
    return c.json(toPage(c.req.url, query, count, results));
  })
  .get('/by-username/:username', documented({ tags: ['profiles'], summary: 'A profile by username', auth: 'bearer', responses: { 200: profileSchema } }), requireAuth, rejectRevokedSession, async (c) => {
    const view = await loadProfileViewByUsername(dbOf(c), c.get('auth').sub, c.req.param('username'));
    return c.json(profileForViewer(view));
  })
  .get('/:user_id', documented({ tags: ['profiles'], summary: 'A profile by user id', auth: 'bearer', responses: { 200: profileSchema } }), requireAuth, rejectRevokedSession, async (c) => {
    const view = await loadProfileView(dbOf(c), c.get('auth').sub, c.req.param('user_id'));
    return c.json(profileForViewer(view));
  });
