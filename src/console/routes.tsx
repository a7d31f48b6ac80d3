import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { ApiError } from '../http/errors';
import { errorSummary } from '../http/log';
import { consoleHeaders } from './headers';
import { MfaEnrollmentRequired, requireConsoleSession, sameOrigin, SignInRequired } from './guard';
import { render } from './render';
import { signInRoutes } from './sign-in-routes';
import { listRoutes } from './list-routes';
import { userRoutes } from './user-routes';
import { jobRoutes } from './job-routes';
import { badgeConsoleRoutes } from './badge-routes';
import { reportRoutes } from './report-routes';
import { ErrorPage } from './pages/error';
import { EnrolMfaPage } from './pages/sign-in';

const TITLES: Partial<Record<ApiError['code'], string>> = {
  forbidden: 'Not allowed',
  not_found: 'Not found',
  validation_failed: 'Invalid request',
  rate_limited: 'Too many requests',
};

/**
 * The admin console at /admin: server-rendered pages (hono/jsx), no script at all, one
 * stylesheet of our own (a static asset: public/admin/assets/), a strict CSP. Pages: sign in, users, user, confirm, audit
 * events, failed mail, daily report. The API's own role checks and actions do the work.
 */
export const consoleRoutes = new Hono<AppEnv>()
  .use(consoleHeaders, sameOrigin)
  .route('/', signInRoutes)
  .use(requireConsoleSession)
  .get('/', (c) => c.redirect('/admin/users', 303))
  .route('/', listRoutes)
  .route('/', jobRoutes)
  .route('/', userRoutes)
  .route('/', badgeConsoleRoutes)
  .route('/', reportRoutes)
  .all('*', () => {
    throw new ApiError('not_found');
  });

consoleRoutes.onError(async (err, c) => {
  if (err instanceof SignInRequired) return c.redirect('/admin/login', 303);
  if (err instanceof MfaEnrollmentRequired) return render(c, <EnrolMfaPage />, 403);
  const apiError = err instanceof ApiError ? err : new ApiError('internal');
  if (apiError.status >= 500) (c.get('log') ?? console).error('console error', errorSummary(err));
  const res = await render(
    c,
    <ErrorPage title={TITLES[apiError.code] ?? 'Something went wrong'} message={apiError.message} staff={c.get('staff')} csrf={c.get('csrf')} />,
    apiError.status,
  );
  if (apiError.retryAfter !== undefined) res.headers.set('Retry-After', String(apiError.retryAfter));
  return res;
});
