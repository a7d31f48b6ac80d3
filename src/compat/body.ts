import type { MiddlewareHandler } from 'hono';
import { getPathNoStrict } from 'hono/utils/url';
import type { AppEnv } from '../http/context';
import { replaceParsedBody } from '../http/middleware';
import { aliasOf, bodyAliasesOf } from './aliases';

/**
 * Renames the replaced apps' body fields to ours (password2, otp), after jsonBody parsed
 * the body and before the route validates it. On the aliases of apps whose register had
 * no confirmation field, a missing password_confirm is the password itself.
 */
export const compatBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!['POST', 'PUT', 'PATCH'].includes(c.req.method)) return next();
  const renames = bodyAliasesOf(c.req.path);
  const alias = aliasOf(getPathNoStrict(c.req.raw));
  if (!renames && !alias?.confirmationOptional) return next();
  const body: unknown = await c.req.json();
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return next();
  const out: Record<string, unknown> = { ...body };
  for (const [theirs, ours] of Object.entries(renames ?? {})) {
    if (theirs in out && !(ours in out)) out[ours] = out[theirs];
    delete out[theirs];
  }
  if (alias?.confirmationOptional && out.password_confirm === undefined) out.password_confirm = out.password;
  replaceParsedBody(c.req, out);
  return next();
};
