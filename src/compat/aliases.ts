/**
 * The paths the replaced Django apps documented, answered here by the real routes: one
 * table, no copied handlers. The app's router sees the canonical path (createApp's
 * getPath), so an alias shares its route's validation, limits and bot defence. Paths are
 * under /api/v1; a trailing slash works as on every route. README's alias table is
 * checked against this one (test/compat.readme.cases.ts).
 */
export interface RouteAlias {
  /** The replaced app's path, under /api/v1. */
  alias: string;
  /** The route that answers it, under /api/v1. */
  target: string;
  /** Which replaced app documented it. */
  app: '000' | '001' | '002';
  /** That app's register had no confirmation field: a missing password_confirm is taken as confirmed. */
  confirmationOptional?: true;
}

export const API_PREFIX = '/api/v1/';

export const ROUTE_ALIASES: readonly RouteAlias[] = [
  { alias: 'auth/resend-verification-email', target: 'auth/resend-verification', app: '000' },
  { alias: 'accounts/signup', target: 'auth/register', app: '001' },
  { alias: 'accounts/login', target: 'auth/login', app: '001' },
  { alias: 'accounts/logout', target: 'auth/logout', app: '001' },
  { alias: 'accounts/me', target: 'auth/me', app: '001' },
  // That app's "send-otp" re-sends the email-verification code that verify-email takes.
  { alias: 'accounts/send-otp', target: 'auth/resend-verification', app: '001' },
  { alias: 'accounts/verify-email', target: 'auth/verify-email', app: '001' },
  { alias: 'auth/jwt/login', target: 'auth/login', app: '002' },
  { alias: 'auth/jwt/refresh', target: 'auth/refresh', app: '002' },
  { alias: 'auth/jwt/logout', target: 'auth/logout', app: '002' },
  { alias: 'auth/jwt/register', target: 'auth/register', app: '002', confirmationOptional: true },
  // simplejwt's verify answers {} for a valid token: its own small route (compat/routes.ts).
  { alias: 'auth/jwt/verify', target: 'auth/jwt/verify', app: '002' },
  { alias: 'auth/jwt/user-info', target: 'auth/me', app: '002' },
  { alias: 'auth/verify', target: 'auth/verify-email', app: '002' },
  { alias: 'auth/resend-code', target: 'auth/resend-verification', app: '002' },
  // The same paths as the canonical session routes (API.md, "Sessions and activity").
  { alias: 'auth/session/check', target: 'auth/session/check', app: '002' },
  { alias: 'auth/session/refresh', target: 'auth/session/refresh', app: '002' },
];

/**
 * Field names the replaced apps sent, renamed to ours on the canonical route (and so on
 * every alias of it). A field already sent under our name wins.
 */
export const BODY_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'auth/register': { password2: 'password_confirm' },
  'auth/verify-email': { otp: 'code' },
  'auth/otp/verify': { otp: 'code' },
  'auth/password/reset': { otp: 'code' },
};

const byAlias = new Map(ROUTE_ALIASES.map((a) => [`${API_PREFIX}${a.alias}`, a]));

/** The alias a request path (trailing slash already removed) names, if any. */
export function aliasOf(path: string): RouteAlias | undefined {
  return byAlias.get(path);
}

/** The path the router should see: an alias's target, else the path itself. */
export function canonicalPath(path: string): string {
  const alias = byAlias.get(path);
  return alias ? `${API_PREFIX}${alias.target}` : path;
}

/** The body renames of a canonical path. */
export function bodyAliasesOf(canonical: string): Readonly<Record<string, string>> | undefined {
  return canonical.startsWith(API_PREFIX) ? BODY_ALIASES[canonical.slice(API_PREFIX.length)] : undefined;
}
