import type { Context } from 'hono';
import type { AppEnv } from './context';

/** Where Cloudflare's edge says a request came from (`request.cf`); '' when it does not say. */
export interface RequestGeo {
  country: string;
  city: string;
  colo: string;
}

export interface RequestMeta {
  ip: string;
  userAgent: string | null;
  /** request.cf.country (ISO alpha-2) when Cloudflare says: the events' new-country risk signal. */
  country?: string | null;
  /** Absent where a request is made up (tests, jobs). */
  geo?: RequestGeo;
}

/** Who is asking, for audit events and sessions. */
export const requestMeta = (c: Context<AppEnv>): RequestMeta => ({
  ip: c.get('clientIp'),
  userAgent: c.req.header('User-Agent')?.slice(0, 512) ?? null,
  country: cfCountry(c.req.raw),
  geo: requestGeo(c.req.raw),
});

function cfCountry(request: Request): string | null {
  const country = (request.cf as { country?: unknown } | undefined)?.country;
  return typeof country === 'string' && /^[A-Z]{2}$/.test(country) ? country : null;
}

/** The request's part of an audit event. */
export function metaOf(meta: RequestMeta) {
  return { ip: meta.ip, userAgent: meta.userAgent, country: meta.country ?? null };
}

/** `request.cf` country, city and colo, each capped (they come from the edge, but stay bounded). */
export function requestGeo(request: Request): RequestGeo {
  const cf = (request as { cf?: Record<string, unknown> }).cf;
  const field = (name: string) => (typeof cf?.[name] === 'string' ? (cf[name] as string).slice(0, 64) : '');
  return { country: field('country'), city: field('city'), colo: field('colo') };
}
