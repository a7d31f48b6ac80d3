import type { MiddlewareHandler } from 'hono';
import { readCapped } from './read-capped';
import { ApiError } from './errors';
import type { AppEnv } from './context';
import { ConfigError, getConfig, missingSecrets, type Config } from '../config/config';
import { isHealthCheck, MISCONFIGURED_HEALTH } from '../health/routes';
import { createLogger } from './log';

const MAX_BODY_BYTES = 64 * 1024;

/** Request id, config, logger and client IP for everything after it; one access log line. */
export const requestContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  // Once per request: Hono's fallback router can match '*' twice for a literal "/*" path,
  // and a second id would make error.request_id differ from X-Request-Id.
  if (c.get('requestId')) return next();
  const requestId = crypto.randomUUID();
  c.set('requestId', requestId);
  c.set('log', createLogger({ request_id: requestId }));
  // X-Forwarded-For is client-controlled: never used for limits or audit.
  c.set('clientIp', c.req.header('CF-Connecting-IP')?.trim() || 'unknown');
  const started = Date.now();
  await next();
  c.res.headers.set('X-Request-Id', requestId);
  c.get('log').info('request', {
    method: c.req.method,
    path: urlPath(c.req.url),
    status: c.res.status,
    duration_ms: Date.now() - started,
  });
};

/**
 * The path of a request's URL, as `new URL(url).pathname` gives it, without parsing the URL
 * again on every request: the runtime hands over `request.url` already serialized (scheme,
 * `//`, host, then the normalized path), so the path is what lies between the host and `?`
 * or `#`. The path as requested, before the router's alias and trailing-slash handling.
 */
export function urlPath(url: string): string {
  const authority = url.indexOf('//');
  let start = authority < 0 ? 0 : authority + 2;
  while (start < url.length && url[start] !== '/' && url[start] !== '?' && url[start] !== '#') start++;
  if (url[start] !== '/') return '/';
  let end = start;
  while (end < url.length && url[end] !== '?' && url[end] !== '#') end++;
  return url.slice(start, end);
}

/**
 * Parses configuration and refuses to serve in production without its secrets: every
 * route answers 503 in the one error shape, and the health check says "misconfigured"
 * (with 503 too) so a load balancer or deploy check sees it.
 */
export const configGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  const checked = checkConfig(c.env);
  if (!checked.ok) {
    c.get('log').error('refusing to serve: configuration incomplete or malformed', { problem: checked.problem });
    if (isHealthCheck(c.req.path)) return c.json(MISCONFIGURED_HEALTH, 503);
    throw new ApiError('service_unavailable', checked.problem);
  }
  c.set('config', checked.config);
  await next();
};

type ConfigCheck = { ok: true; config: Config } | { ok: false; problem: string };

function checkConfig(env: AppEnv['Bindings']): ConfigCheck {
  let config: Config;
  try {
    config = getConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return { ok: false, problem: `The service is misconfigured: ${err.message}` };
    throw err;
  }
  const missing = missingSecrets(env, config);
  if (missing.length > 0) return { ok: false, problem: `The service is missing required configuration: ${missing.join(', ')}.` };
  return { ok: true, config };
}

/** Headers every API response carries (API.md conventions). */
export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const h = c.res.headers;
  if (h.get('Content-Type') === 'application/json') h.set('Content-Type', 'application/json; charset=utf-8');
  h.set('X-Content-Type-Options', 'nosniff');
  if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-store');
  h.set('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
  if (!h.has('Content-Security-Policy')) h.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  h.set('X-Frame-Options', 'DENY');
  h.set('Referrer-Policy', 'no-referrer');
};

/**
 * Reads and parses a JSON body once, before any validator: the content type is checked
 * before a byte is parsed (415), the size is capped while streaming (413), and bad UTF-8
 * or JSON is a 400. The parsed value is left in Hono's body cache for zod-validator.
 */
export const jsonBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(c.req.method)) return next();
  const declared = Number(c.req.header('Content-Length') ?? NaN);
  if (declared > MAX_BODY_BYTES) throw new ApiError('payload_too_large');
  const contentType = c.req.header('Content-Type');
  const bytes = await readCapped(c.req.raw, MAX_BODY_BYTES);
  if (bytes.byteLength === 0) {
    setParsedBody(c.req, {});
    return next();
  }
  if (!isJsonContentType(contentType)) throw new ApiError('unsupported_media_type');
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch {
    throw new ApiError('invalid_json');
  }
  setParsedBody(c.req, parsed);
  return next();
};

/**
 * jsonBody everywhere but at `prefix` and below (the console reads its own forms). A prefix
 * test rather than hono/combine's except(), which matches a router and composes a chain on
 * every request (npm run bench -- --profile). Paths are the router's: no trailing slash.
 */
export function jsonBodyOutside(prefix: string): MiddlewareHandler<AppEnv> {
  const below = `${prefix}/`;
  return (c, next) => {
    const path = c.req.path;
    return path === prefix || path.startsWith(below) ? next() : jsonBody(c, next);
  };
}

function isJsonContentType(value: string | undefined): boolean {
  if (!value) return false;
  const mediaType = value.split(';')[0]!.trim().toLowerCase();
  return mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
}

function setParsedBody(req: { bodyCache: { json?: Promise<unknown> } }, value: unknown): void {
  req.bodyCache.json = Promise.resolve(value);
}

/** For middleware after jsonBody that takes a field out before the route validates the rest. */
export const replaceParsedBody = setParsedBody;
