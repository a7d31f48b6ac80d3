import type { MiddlewareHandler } from 'hono';
import type { Env } from '../env';
import type { AppEnv } from '../http/context';
import type { UserRow } from '../db/schema';
import { clock } from '../clock';
import { createDb } from '../db/client';
import { accountState } from '../accounts/state/client';
import { findUserById } from '../users/queries';
import { unauthorized } from '../tokens/middleware';
import { isMarkedRevoked } from '../accounts/state/revocation-marks';

export type SessionCheck = { ok: true; user: UserRow } | { ok: false; reason: 'no_account' | 'signed_out' };

/**
 * The one session-liveness check: the session must be open in the user's Durable Object
 * (the authority on sessions) and the account must exist, not be deleted and be active
 * (D1). A missing account wins over a closed session, so callers that tell the two apart
 * (the admin API: 403 vs 401) see the account first.
 */
export async function checkSession(env: Env, userId: string, sessionId: string, now: number): Promise<SessionCheck> {
  const [user, session] = await Promise.all([findUserById(createDb(env.DB), userId), accountState(env, userId).session(sessionId, now)]);
  if (!user || !user.isActive) return { ok: false, reason: 'no_account' };
  if (!session) return { ok: false, reason: 'signed_out' };
  return { ok: true, user };
}

/**
 * After requireAuth, on every route that changes state: an access token outlives its
 * session by up to its lifetime (15 minutes), so a logged-out, revoked or deactivated
 * session's token is refused here at once, with 401 like any dead token.
 */
export const requireLiveSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { sub, sid } = c.get('auth');
  if (!(await checkSession(c.env, sub, sid, clock.now())).ok) return unauthorized(c, 'Bearer error="invalid_token"');
  await next();
};

/**
 * After requireAuth, on read routes: the cheap global KV mark every revocation writes.
 * KV is eventually consistent (and the answer is kept a moment: revocation-marks.ts), so a
 * revoked session's token is refused within about 60 s everywhere (at once in the isolate
 * that revoked it); writes use requireLiveSession.
 *
 * A read (GET/HEAD) runs while the mark is read, so the two round trips are one wait
 * (test/hops.test.ts); its answer is dropped for the 401 when the mark says revoked. A read
 * route changes nothing, so nothing happens that the 401 would have prevented. Any other
 * method waits for the mark first.
 */
export const rejectRevokedSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const revoked = isMarkedRevoked(c.env, c.get('auth').sid, clock.now());
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    if (await revoked) return unauthorized(c, 'Bearer error="invalid_token"');
    return next();
  }
  // Settled either way before the handler's own failure (if any) propagates.
  const [handled, isRevoked] = await Promise.allSettled([next(), revoked]);
  if (isRevoked.status === 'rejected') throw isRevoked.reason;
  if (isRevoked.value) {
    c.res = undefined;
    c.res = unauthorized(c, 'Bearer error="invalid_token"');
    return;
  }
  if (handled.status === 'rejected') throw handled.reason;
};
