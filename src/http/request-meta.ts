import type { Context } from 'hono';
import type { AppEnv } from './context';

export interface RequestMeta {
  ip: string;
  userAgent: string | null;
}

/** Who is asking, for audit events and sessions. */
export const requestMeta = (c: Context<AppEnv>): RequestMeta => ({
  ip: c.get('clientIp'),
  userAgent: c.req.header('User-Agent')?.slice(0, 512) ?? null,
});

/** The request's part of an audit event. */
export function metaOf(meta: RequestMeta) {
  return { ip: meta.ip, userAgent: meta.userAgent };
}
