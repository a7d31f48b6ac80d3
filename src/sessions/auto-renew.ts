import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/context';
import { contextOf } from '../http/request-context';
import { getConfig } from '../config/config';
import { clock } from '../clock';
import { afterResponse } from '../http/after-response';
import { ApiError } from '../http/errors';
import { recordRenewal, renewSession } from './renewal';

export const RENEWED_ACCESS_HEADER = 'X-Renewed-Access';
export const RENEWED_EXPIRES_HEADER = 'X-Renewed-Access-Expires-In';

/**
 * Silent renewal, after the route has answered: a request whose access token has at most
 * the renew window (TTL_RENEW_WINDOW, 5 minutes) left gets a fresh access token for the
 * same session in X-Renewed-Access. Only then is the per-user object asked (the session
 * must be live, and it moves the idle expiry), so a request far from expiry pays one
 * comparison. Never for an expired token (requireAuth tolerates 30 s of clock skew; this
 * does not), nor for a refused request (4xx, 5xx: bad input changes nothing, the session's
 * expiry included), nor while an admin lock holds; the new
 * token expires at the session's absolute end at the latest, so renewals stop there.
 */
export const autoRenew: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const auth = c.get('auth');
  if (!auth || c.res.status >= 400) return;
  const now = clock.now();
  const msLeft = auth.exp * 1000 - now;
  if (msLeft <= 0 || msLeft > getConfig(c.env).sessionActivity.renewWindowSec * 1000) return;
  const ctx = contextOf(c, now);
  try {
    const renewal = await renewSession(ctx, auth);
    // A token that would not outlive the one presented (at the absolute end) is no renewal.
    if (!renewal || renewal.expiresIn <= Math.ceil(msLeft / 1000)) return;
    c.res.headers.set(RENEWED_ACCESS_HEADER, renewal.access);
    c.res.headers.set(RENEWED_EXPIRES_HEADER, String(renewal.expiresIn));
    afterResponse(c, 'session history after renewal', async () => void (await recordRenewal(ctx, renewal)));
  } catch (err) {
    // The route's answer stands; an admin lock (423) just means no renewal.
    if (!(err instanceof ApiError)) ctx.log.error('auto-renew failed', { error: String(err) });
  }
};
