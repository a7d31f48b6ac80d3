import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/context';
import { validate } from '../http/validate';
import { clock } from '../clock';
import { requireAuth } from '../tokens';
import { rejectRevokedSession, requireLiveSession } from '../sessions/liveness';
import { limitByUser } from '../ratelimit/limit';
import { requestMeta } from '../http/request-meta';
import { metaOf } from '../http/request-meta';
import { settingsPatch, settingsPut, type SettingsPatch } from './schemas';
import { readSettings, writeSettings } from './store';
import { documented } from '../http/openapi';
import { settingsSchema } from './responses';
import { dbOf } from '../http/db-session';

const updateLimit = limitByUser('social_updates', (config) => config.socialLimits.updates);

/**
 * /api/v1/settings: the caller's own. Preferences are not social acts, so a suspended
 * account may still change them (e.g. stop notification mail).
 */
export const settingsRoutes = new Hono<AppEnv>()
  .use(requireAuth)
  .get('/', documented({ tags: ['settings'], summary: 'My settings', auth: 'bearer', responses: { 200: settingsSchema } }), rejectRevokedSession, async (c) => c.json(await readSettings(dbOf(c), c.get('auth').sub)))
  .put('/', documented({ tags: ['settings'], summary: 'Replace my settings', auth: 'bearer', responses: { 200: settingsSchema } }), requireLiveSession, updateLimit, validate('json', settingsPut), async (c) => save(c, c.req.valid('json')))
  .patch('/', documented({ tags: ['settings'], summary: 'Change some of my settings', auth: 'bearer', responses: { 200: settingsSchema } }), requireLiveSession, updateLimit, validate('json', settingsPatch), async (c) => save(c, c.req.valid('json')));

async function save(c: Context<AppEnv>, patch: SettingsPatch) {
  const db = dbOf(c);
  const userId = c.get('auth').sub;
  await writeSettings(db, userId, patch, { ...metaOf(requestMeta(c)), at: clock.now() });
  return c.json(await readSettings(db, userId));
}
