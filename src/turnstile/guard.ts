import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/context';
import { ApiError } from '../http/errors';
import { errorSummary } from '../http/log';
import { replaceParsedBody } from '../http/middleware';
import { turnstileVerifier, TurnstileUnavailableError } from './verifier';

/** Where a client puts its token: a JSON body field (what the widget's form names it) or a header. */
export const TURNSTILE_FIELD = 'cf-turnstile-response';
export const TURNSTILE_HEADER = 'CF-Turnstile-Response';

/** Turnstile tokens are at most 2048 characters (Cloudflare docs); longer is no token. */
const MAX_TOKEN_CHARS = 2048;

/**
 * The routes a bot would hammer: registration (and any variant under /register/), password
 * login, and every route that mails a code. POST only; a trailing slash is the same route.
 * One pattern, so the check runs once per request (a Turnstile token is single-use).
 */
const GUARDED_PATH = /^\/api\/v1\/auth\/(register(\/.*)?|login|otp\/request|password\/forgot|resend-verification)\/?$/;

export function isTurnstileGuarded(method: string, path: string): boolean {
  return method === 'POST' && GUARDED_PATH.test(path);
}

/**
 * When TURNSTILE_SECRET is set, a request needs a token siteverify accepts: missing is
 * 403 captcha_required, refused is 403 captcha_invalid, and siteverify unreachable fails
 * closed with 503. It runs before the route's limits and validation, so a refused request
 * spends no budget, changes nothing and mails nothing. Unset, it does nothing at all.
 */
export const requireTurnstile: MiddlewareHandler<AppEnv> = async (c, next) => {
  const secret = c.env.TURNSTILE_SECRET?.trim();
  if (!secret || !isTurnstileGuarded(c.req.method, c.req.path)) return next();
  const token = await takeToken(c);
  if (token === undefined) throw new ApiError('captcha_required');
  if (!token || token.length > MAX_TOKEN_CHARS) throw new ApiError('captcha_invalid');
  const clientIp = c.get('clientIp');
  let outcome;
  try {
    outcome = await turnstileVerifier.verify({ secret, token, remoteIp: clientIp === 'unknown' ? undefined : clientIp });
  } catch (err) {
    if (!(err instanceof TurnstileUnavailableError)) throw err;
    c.get('log').error('turnstile siteverify unavailable', errorSummary(err));
    throw new ApiError('service_unavailable', 'The bot check cannot be verified right now; try again shortly.');
  }
  if (outcome !== 'valid') throw new ApiError('captcha_invalid');
  await next();
};

/**
 * The token from the body field (removed from the body, so the route's schema never sees
 * it) or else the header. A field that is present but not a string is an empty token.
 */
async function takeToken(c: Context<AppEnv>): Promise<string | undefined> {
  const body: unknown = await c.req.json().catch(() => undefined);
  if (body !== null && typeof body === 'object' && !Array.isArray(body) && Object.hasOwn(body, TURNSTILE_FIELD)) {
    const { [TURNSTILE_FIELD]: field, ...rest } = body as Record<string, unknown>;
    replaceParsedBody(c.req, rest);
    return typeof field === 'string' ? field.trim() : '';
  }
  const header = c.req.header(TURNSTILE_HEADER);
  return header === undefined ? undefined : header.trim();
}
