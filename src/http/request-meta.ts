import type { Context } from 'hono';
import type { AppEnv } from './context';

export interface RequestMeta {
  ip: string;
  userAgent: string | null;
  /** request.cf.country (ISO alpha-2) when Cloudflare says: the events' new-country risk signal. */
  country?: string | null;
}

/** Who is asking, for audit events and sessions. */
export const requestMeta = (c: Context<AppEnv>): RequestMeta => ({
  ip: c.get('clientIp'),
  userAgent: c.req.header('User-Agent')?.slice(0, 512) ?? null,
  country: cfCountry(c.req.raw),
});

function cfCountry(request: Request): string | null {
  const country = (request.cf as { country?: unknown } | undefined)?.country;
  return typeof country === 'string' && /^[A-Z]{2}$/.test(country) ? country : null;
}

/** The request's part of an audit event. */
export function metaOf(meta: RequestMeta) {
  return { ip: meta.ip, userAgent: meta.userAgent, country: meta.country ?? null };
}
