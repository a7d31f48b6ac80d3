import { Hono } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from './http/context';
import { ApiError, errorBody } from './http/errors';
import { configGuard, jsonBodyOutside, requestContext, securityHeaders } from './http/middleware';
import { BOOKMARK_HEADER, databaseSession } from './http/db-session';
import { errorSummary } from './http/log';
import { ConfigError, getConfig } from './config/config';
import { healthRoutes } from './health/routes';
import { authRoutes } from './auth/routes';
import { sessionRoutes } from './sessions/routes';
import { meRoutes } from './users/me-routes';
import { devRoutes } from './mail/dev-mailbox/routes';
import { jwksRoutes } from './tokens/jwks-routes';
import { adminRoutes } from './admin/routes';
import { consoleRoutes } from './console/routes';
import { otpRoutes } from './otp/routes';
import { passwordResetRoutes } from './password/reset/routes';
import { passwordChangeRoutes } from './password/change/routes';
import { mfaRoutes } from './mfa/routes';
import { requireTurnstile, TURNSTILE_HEADER } from './turnstile/guard';
import { profileRoutes } from './profiles/routes';
import { settingsRoutes } from './settings/routes';
import { followerListRoutes, followRoutes } from './follows/routes';
import { blockRoutes } from './blocks/routes';
import { professionalRoutes } from './professional/routes';
import { professionalRegisterRoutes } from './professional/register-routes';
import { getPathNoStrict } from 'hono/utils/url';
import { canonicalPath } from './compat/aliases';
import { compatBody } from './compat/body';
import { compatRoutes } from './compat/routes';
import { badgeAdminRoutes, badgeProgressRoutes, badgeRoutes, userBadgeRoutes } from './badges/routes';
import { eventRoutes } from './events/routes';
import { ingestRoutes } from './events/ingest/routes';
import { docsPageRoutes } from './openapi/routes';
import { autoRenew, RENEWED_ACCESS_HEADER, RENEWED_EXPIRES_HEADER } from './sessions/auto-renew';
import { trackLastActive } from './activity/track';

export function createApp() {
  // The router sees the path without its trailing slash (accepted on every route, API.md)
  // and with a replaced app's alias turned into the route that answers it (compat/aliases.ts).
  const app = new Hono<AppEnv>({ getPath: (request) => canonicalPath(getPathNoStrict(request)) });

  app.use('*', requestContext, securityHeaders, databaseSession);
  app.use(
    '*',
    cors({
      origin: (origin, c) => (allowedOrigins(c.env).includes(origin) ? origin : null),
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      allowHeaders: ['Authorization', 'Content-Type', TURNSTILE_HEADER, BOOKMARK_HEADER],
      exposeHeaders: ['X-Request-Id', 'Retry-After', RENEWED_ACCESS_HEADER, RENEWED_EXPIRES_HEADER, BOOKMARK_HEADER],
      maxAge: 600,
    }),
  );
  // The console posts HTML forms, not JSON: it reads its own bodies.
  app.use('*', configGuard, jsonBodyOutside('/admin'));
  // The replaced apps' field names (password2, otp), once the body is parsed.
  app.use('/api/v1/*', compatBody);

  // Bot defence before the routes' own limits and validation (no-op without TURNSTILE_SECRET).
  app.use('/api/v1/auth/*', requireTurnstile);

  // After an authenticated route has answered: last_active (deferred) and silent renewal near expiry.
  app.use('/api/v1/*', trackLastActive, autoRenew);

  // One chain, so the app's type carries every route for the typed client (AppType, client.ts).
  const routed = app
    .route('/health', healthRoutes)
    .route('/api/v1/health', healthRoutes)
    .route('/api/v1/auth', authRoutes)
    .route('/api/v1/auth', sessionRoutes)
    .route('/api/v1/auth', otpRoutes)
    .route('/api/v1/auth', passwordResetRoutes)
    .route('/api/v1/auth', passwordChangeRoutes)
    .route('/api/v1/auth/mfa', mfaRoutes)
    .route('/api/v1/auth/me', meRoutes)
    // Before adminRoutes: these carry their own staff check, and must not run it twice.
    .route('/api/v1/admin', badgeAdminRoutes)
    .route('/api/v1/admin', adminRoutes)
    // --- social layer (issue 13) ---
    .route('/api/v1/profiles', profileRoutes)
    .route('/api/v1/settings', settingsRoutes)
    .route('/api/v1/follows', followRoutes)
    .route('/api/v1/users', followerListRoutes)
    .route('/api/v1/blocks', blockRoutes)
    .route('/api/v1/professional-profiles', professionalRoutes)
    .route('/api/v1/auth', professionalRegisterRoutes)
    // --- coming from Django (issue 16) ---
    .route('/api/v1/auth', compatRoutes)
    // --- badges (issue 15) ---
    .route('/api/v1/badges', badgeRoutes)
    .route('/api/v1/user-badges', userBadgeRoutes)
    .route('/api/v1/users', badgeProgressRoutes)
    // --- user events (issue 14) ---
    .route('/api/v1/events', eventRoutes)
    .route('/api/v1/internal', ingestRoutes)
    .route('/.well-known/jwks.json', jwksRoutes);
  app.route('/admin', consoleRoutes);
  app.route('/dev', devRoutes);
  app.route('/', docsPageRoutes);

  app.notFound(() => {
    throw new ApiError('not_found');
  });

  app.onError((err, c) => {
    const requestId = c.get('requestId') ?? crypto.randomUUID();
    const apiError = toApiError(err);
    if (apiError.status >= 500) {
      (c.get('log') ?? console).error('unhandled error', errorSummary(err));
    }
    const res = c.json(errorBody(apiError, requestId), apiError.status);
    if (apiError.retryAfter !== undefined) res.headers.set('Retry-After', String(apiError.retryAfter));
    res.headers.set('X-Request-Id', requestId);
    return res;
  });

  return routed;
}

/** The app's routes as types, for `hono/client` (src/client.ts). */
export type AppType = ReturnType<typeof createApp>;

/** A malformed config allows no origin here: configGuard, next, answers 503 for it. */
function allowedOrigins(env: AppEnv['Bindings']): string[] {
  try {
    return getConfig(env).corsOrigins;
  } catch (err) {
    if (err instanceof ConfigError) return [];
    throw err;
  }
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ConfigError) return new ApiError('service_unavailable', `The service is misconfigured: ${err.message}`);
  // Hono's own HTTPException (e.g. from a middleware) keeps its 4xx meaning.
  const status = (err as { status?: number } | null)?.status;
  if (status === 413) return new ApiError('payload_too_large');
  if (status === 415) return new ApiError('unsupported_media_type');
  return new ApiError('internal');
}
