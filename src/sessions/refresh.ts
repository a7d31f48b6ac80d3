import type { Env } from '../env';
import { createDb } from '../db/client';
import { auditInsert } from '../audit/record';
import { ApiError } from '../http/errors';
import { accountLocked } from '../auth/locked';
import { verifyRefreshToken } from '../tokens/refresh';
import { userState } from '../state/user-state';
import { findUserById } from '../users/queries';
import { metaOf, type RequestMeta } from '../verification/service';
import { sessionPolicy } from './policy';
import { isMarkedRevoked, markRevoked } from './revocation';
import { tokenResponse, type TokenResponse } from './tokens';

/**
 * Rotates a refresh token. The user is read afresh, so a role change, deactivation or
 * deletion takes effect here at the latest. While an admin lock holds the answer is 423
 * with Retry-After and the token stays good for after the lock.
 */
export async function refreshTokens(env: Env, token: string, meta: RequestMeta, now: number): Promise<TokenResponse> {
  const claims = await verifyRefreshToken(env, token, now);
  if (await isMarkedRevoked(env, claims.sid)) throw new ApiError('unauthorized');
  const state = userState(env, claims.sub);
  const outcome = await state.refreshSession(claims.sid, claims.gen, { ip: meta.ip, userAgent: meta.userAgent }, sessionPolicy(env), now);
  if (!outcome.ok && outcome.reason === 'locked') throw accountLocked({ ...outcome, byAdmin: true });
  const db = createDb(env.DB);
  if (!outcome.ok) {
    if (outcome.reason === 'reuse') {
      await Promise.all([
        auditInsert(db, {
          type: 'refresh_reuse_detected',
          userId: claims.sub,
          ...metaOf(meta),
          metadata: { session_id: claims.sid, presented_generation: claims.gen },
          at: now,
        }),
        markRevoked(env, [{ id: claims.sid, absoluteExpiresAt: claims.exp * 1000 }], now),
      ]);
    }
    throw new ApiError('unauthorized');
  }
  const user = await findUserById(db, claims.sub);
  if (!user || !user.isActive) {
    const revoked = await state.revokeSession(claims.sid);
    if (revoked) await markRevoked(env, [revoked], now);
    throw new ApiError('unauthorized');
  }
  return tokenResponse(env, user, outcome.session, outcome.generation, now);
}
