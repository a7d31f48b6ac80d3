import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../http/context';
import { ApiError } from '../../http/errors';
import { unauthorized } from '../../tokens/middleware';

const encoder = new TextEncoder();

/**
 * POST /internal/events: `Authorization: Bearer <SERVICE_TOKEN>`. Unset (or blank), the
 * route answers 503 `service_unavailable` to everyone: ingestion is not configured, and no
 * token, however guessed, can open it. A wrong or missing token is 401. The comparison is
 * constant-time: both sides are hashed to 32 bytes first, so neither content nor length
 * leaks through timing.
 */
export const requireServiceToken: MiddlewareHandler<AppEnv> = async (c, next) => {
  const expected = c.env.SERVICE_TOKEN?.trim();
  if (!expected) throw new ApiError('service_unavailable', 'Event ingestion is not configured (SERVICE_TOKEN is not set).');
  const presented = /^Bearer (.+)$/.exec(c.req.header('Authorization') ?? '')?.[1]?.trim() ?? '';
  if (!presented || !(await sameSecret(presented, expected))) return unauthorized(c, 'Bearer realm="internal"');
  await next();
};

async function sameSecret(a: string, b: string): Promise<boolean> {
  const [ha, hb] = await Promise.all([a, b].map((s) => crypto.subtle.digest('SHA-256', encoder.encode(s))));
  return crypto.subtle.timingSafeEqual(ha!, hb!);
}
