import type { RequestContext } from '../http/request-context';
import { auditInsert } from '../audit/record';
import { ApiError } from '../http/errors';
import { accountLocked } from '../sign-in/locked';
import { verifyRefreshToken } from '../tokens/refresh';
import { accountState } from '../accounts/state/client';
import { findUserById } from '../users/queries';
import { metaOf } from '../http/request-meta';
import { historySeen } from '../accounts/state/session-history';
import { tokenResponse, type TokenResponse } from './tokens';

/**
 * Rotates a refresh token. The user is read afresh, so a role change, deactivation or
 * deletion takes effect here at the latest. While an admin lock holds the answer is 423
 * with Retry-After and the token stays good for after the lock.
 *
 * One wait for storage (test/hops.test.ts): the rotation in the user's object and the account
 * read go out together. No KV revocation mark is read: the object is the authority on
 * sessions and is asked anyway, so the mark could refuse nothing sooner. The history
 * mirror's "last seen" is written after the answer.
 *
 * The account read may come from a D1 read replica (the route reads from one): the object
 * settles whether the session lives, and deactivation or deletion ends every session there;
 * a role changed a moment ago may reach the new access token a moment late.
 */
export async function refreshTokens(ctx: RequestContext, token: string): Promise<TokenResponse> {
  const { env, db, meta, now } = ctx;
  const claims = await verifyRefreshToken(env, token, now);
  const state = accountState(env, claims.sub);
  const presented = { sessionId: claims.sid, generation: claims.gen, tokenExpiresAt: claims.exp * 1000 };
  const [outcome, user] = await Promise.all([
    state.rotate(presented, { ip: meta.ip, userAgent: meta.userAgent }, now),
    findUserById(db, claims.sub),
  ]);
  if (!outcome.ok && outcome.reason === 'locked') throw accountLocked({ ...outcome, byAdmin: true });
  if (!outcome.ok) {
    if (outcome.reason === 'reuse') {
      await auditInsert(db, {
        type: 'refresh_reuse_detected',
        userId: claims.sub,
        ...metaOf(meta),
        metadata: { session_id: claims.sid, presented_generation: claims.gen },
        at: now,
      });
    }
    throw new ApiError('unauthorized');
  }
  if (!user || !user.isActive) {
    await state.revokeSession(claims.sid, 'revoked', now);
    throw new ApiError('unauthorized');
  }
  ctx.defer('session history (last seen)', () => historySeen(db, outcome.session));
  return tokenResponse(env, user, outcome.session, outcome.generation, now);
}
