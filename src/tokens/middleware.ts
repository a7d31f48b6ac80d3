import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/context';
import { ApiError, errorBody } from '../http/errors';
import { clock } from '../clock';
import { verifyAccessToken } from './verify';

// RFC 6750 b64token. Only the Authorization header counts: a token in the URL ends up in
// logs and Referer headers, so ?access_token= is deliberately never read.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** Requires a valid access token; puts its claims on the context as c.get('auth'). */
export const requireAuth: MiddlewareHandler<AppEnv> = async (c, next) => {
  const token = BEARER.exec(c.req.header('Authorization') ?? '')?.[1];
  if (!token) return unauthorized(c, 'Bearer');
  try {
    c.set('auth', await verifyAccessToken(c.env, token, clock.now()));
  } catch (err) {
    if (err instanceof ApiError && err.code === 'unauthorized') return unauthorized(c, 'Bearer error="invalid_token"');
    throw err; // e.g. 503 for unusable keys: not the client's fault
  }
  await next();
};

/** Answered here rather than thrown, because app.onError cannot add WWW-Authenticate. */
export function unauthorized(c: Context<AppEnv>, challenge: string): Response {
  const requestId = c.get('requestId') ?? crypto.randomUUID();
  return c.json(errorBody(new ApiError('unauthorized'), requestId), 401, { 'WWW-Authenticate': challenge });
}
