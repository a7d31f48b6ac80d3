import type { MiddlewareHandler } from 'hono';
import { readCapped } from '../http/read-capped';
import { ApiError } from '../http/errors';
import { timingSafeEqualStrings } from '../crypto/hash';
import { clock } from '../clock';
import { loadStaff } from '../admin/staff';
import type { AppEnv } from '../http/context';
import { closeConsoleSession, readConsoleSession } from './session';

const MAX_FORM_BYTES = 16 * 1024;

/**
 * Every console POST must come from one of our own pages: the browser's Origin must be
 * this origin. A browser sends `Origin: null` instead when the page's referrer policy is
 * no-referrer; then its Sec-Fetch-Site (which pages cannot forge) must say same-origin.
 * With SameSite=Strict and the session-bound token below, a cross-site form cannot act,
 * even through a sign-in (login CSRF).
 */
export const sameOrigin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && !fromOurPage(c.req.header('Origin'), c.req.header('Sec-Fetch-Site'), c.req.url)) {
    throw new ApiError('forbidden', 'This form was not sent from the console.');
  }
  await next();
};

export function fromOurPage(origin: string | undefined, fetchSite: string | undefined, url: string): boolean {
  if (origin === new URL(url).origin) return true;
  return origin === 'null' && fetchSite === 'same-origin';
}

/** Reads the url-encoded form once (16 KiB at most) into c.var.form. */
export const readForm: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (Number(c.req.header('Content-Length') ?? 0) > MAX_FORM_BYTES) throw new ApiError('payload_too_large');
  const type = (c.req.header('Content-Type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') throw new ApiError('unsupported_media_type', 'Forms must be url-encoded.');
  c.set('form', Object.fromEntries(new URLSearchParams(new TextDecoder().decode(await readCapped(c.req.raw, MAX_FORM_BYTES)))));
  await next();
};

/** Thrown to send the browser to the sign-in page. */
export class SignInRequired extends Error {
  override name = 'SignInRequired';
}

/** Thrown to show staff without two-factor the page that asks them to enrol (REQUIRE_ADMIN_MFA). */
export class MfaEnrollmentRequired extends Error {
  override name = 'MfaEnrollmentRequired';
}

/** A signed-in admin or manager, checked against D1 and the session's Durable Object on every request. */
export const requireConsoleSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const now = clock.now();
  const session = await readConsoleSession(c, now);
  if (!session) throw new SignInRequired();
  const found = await loadStaff(c.env, session.user_id, session.session_id, now);
  if (!found.ok) {
    await closeConsoleSession(c, now);
    throw found.reason === 'mfa_required' ? new MfaEnrollmentRequired() : new SignInRequired();
  }
  c.set('staff', found.staff);
  c.set('csrf', session.csrf);
  await next();
};

/** The form's token must be the one bound to this session. */
export const csrfProtect: MiddlewareHandler<AppEnv> = async (c, next) => {
  const sent = c.get('form').csrf ?? '';
  if (!timingSafeEqualStrings(sent, c.get('csrf'))) throw new ApiError('forbidden', 'The form has expired; open the page again.');
  await next();
};
