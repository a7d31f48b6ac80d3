import { Hono } from 'hono';
import * as z from 'zod';
import type { AppEnv } from '../http/context';
import { validate } from '../http/validate';
import { ApiError } from '../http/errors';
import { clock } from '../clock';
import { anonymousLimit } from '../ratelimit/limit';
import { verifyAccessToken } from '../tokens';
import { checkSession } from '../sessions/liveness';
import { documented } from '../http/openapi';

const tokenBody = z.object({ token: z.string({ error: 'This field is required.' }).min(1).max(8192) });

/**
 * simplejwt's TokenVerifyView, as the replaced app's frontend calls it: 200 `{}` for a
 * valid access token of a live session, else 401. The same checks as /auth/token/verify;
 * only the answer differs (that one returns the claims).
 */
export const compatRoutes = new Hono<AppEnv>().post('/jwt/verify', documented({ tags: ['sessions'], auth: 'none', summary: 'Check an access token, answering {} as simplejwt did (else 401)', responses: { 200: z.strictObject({}) } }), anonymousLimit, validate('json', tokenBody), async (c) => {
  const now = clock.now();
  const claims = await verifyAccessToken(c.env, c.req.valid('json').token, now);
  if (!(await checkSession(c.env, claims.sub, claims.sid, now)).ok) throw new ApiError('unauthorized');
  return c.json({});
});
