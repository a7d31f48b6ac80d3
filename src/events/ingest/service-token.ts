import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../http/context';
import { ApiError, errorBody } from '../../http/errors';

const encoder = new TextEncoder();
const CHALLENGE = 'Bearer realm="internal"';
export const NOT_CONFIGURED = 'Event ingestion is not configured on this server (SERVICE_TOKEN is unset).';

/**
 * POST /internal/events: `Authorization: Bearer <SERVICE_TOKEN>`. A missing or wrong token
 * is 401. While the secret is unset (or blank) no token is valid, so the answer is 401 too,
 * with a message saying ingestion is not configured (and a warning in the log): not a 503,
 * because no client input may produce a 5xx here (the robustness suite holds every route to
 * that), and the sender's fix — get a token that works — is the same. The comparison is
 * constant-time: both sides are hashed to 32 bytes first, so neither content nor length
 * leaks through timing.
 */
export const requireServiceToken: MiddlewareHandler<AppEnv> = async (c, next) => {
  const expected = c.env.SERVICE_TOKEN?.trim();
  if (!expected) {
    c.get('log').warn('internal events refused: SERVICE_TOKEN is not set');
    return refuse(c, NOT_CONFIGURED);
  }
  const presented = /^Bearer (.+)$/.exec(c.req.header('Authorization') ?? '')?.[1]?.trim() ?? '';
  if (!presented || !(await sameSecret(presented, expected))) return refuse(c);
  await next();
};

function refuse(c: Context<AppEnv>, message?: string): Response {
  return c.json(errorBody(new ApiError('unauthorized', message), c.get('requestId')), 401, { 'WWW-Authenticate': CHALLENGE });
}

async function sameSecret(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([a, b].map((s) => crypto.subtle.digest('SHA-256', encoder.encode(s))));
  return crypto.subtle.timingSafeEqual(ha!, hb!);
}
