import type { Env } from '../../env';
import type { SessionRecord } from './sessions';

/**
 * A fast, global "this session is dead" mark in KV, written when a session is revoked,
 * with a TTL of what was left of its life. It lets any location refuse a dead session's
 * refresh token without a trip to the Durable Object. It is only a shortcut: KV is
 * eventually consistent, and the Durable Object remains the authority.
 */
const KV_MIN_TTL = 60;
const key = (sessionId: string) => `revoked:session:${sessionId}`;

export async function markRevoked(env: Env, sessions: Pick<SessionRecord, 'id' | 'absoluteExpiresAt'>[], now: number): Promise<void> {
  await Promise.all(
    sessions.map((s) =>
      env.KV.put(key(s.id), '1', { expirationTtl: Math.max(KV_MIN_TTL, Math.ceil((s.absoluteExpiresAt - now) / 1000)) }),
    ),
  );
}

/**
 * Read through the location's cache for a minute (KV's default, said out loud): a session
 * in use is checked on every request, so its mark — or its absence — is a local read, not
 * a trip to KV's central store. That minute is the 60 s window the README states.
 */
const MARK_CACHE_TTL = 60;

export async function isMarkedRevoked(env: Env, sessionId: string): Promise<boolean> {
  return (await env.KV.get(key(sessionId), { cacheTtl: MARK_CACHE_TTL })) !== null;
}
