import { Hono } from 'hono';
import type { AppEnv } from '../../http/context';
import { validate } from '../../http/validate';
import { contextOf } from '../../http/request-context';
import { requireAuth } from '../../tokens';
import { requireLiveSession } from '../../sessions/liveness';
import { changePasswordSchema } from './schemas';
import { changePassword } from './service';
import { documented, messageSchema } from '../../http/openapi';

/** POST /auth/password/change (bearer). */
export const passwordChangeRoutes = new Hono<AppEnv>().post('/password/change', documented({ tags: ['password'], summary: 'Change my password (signs out my other sessions)', auth: 'bearer', responses: { 200: messageSchema } }), requireAuth, requireLiveSession, validate('json', changePasswordSchema), async (c) => {
  await changePassword(contextOf(c), c.get('auth'), c.req.valid('json'));
  return c.json({ message: 'Password changed. Your other sessions have been signed out.' });
});
