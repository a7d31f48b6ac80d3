import type { Env } from '../env';
import { createDb } from '../db/client';
import { auditInsert } from '../audit/record';
import { ApiError } from '../http/errors';
import { accountLocked } from '../sign-in/locked';
import { verifyRefreshToken } from '../tokens/refresh';
import { accountState } from '../accounts/state/client';
import { findUserById } from '../users/queries';
import { metaOf, type RequestMeta } from '../http/request-meta';
import { isMarkedRevoked } from '../accounts/state/revocation-marks';
import { historySeen } from '../accounts/state/session-history';
import { tokenResponse, type TokenResponse } from './tokens';

/**
 * Rotates a refresh token. The user is read afresh, so a role change, deactivation or
 * deletion takes effect here at the latest. While an admin lock holds the answer is 423
 * with Retry-After and the token stays good for after the lock.
 */
export async function refreshTokens(env: Env, token: string, meta: RequestMeta, now: number): Promise<TokenResponse> {
  const claims = await verifyRefreshToken(env, token, now);
  if (await isMarkedRevoked(env, claims.sid)) throw new ApiError('unauthorized');
  const state = accountState(env, claims.sub);
  const presented = { sessionId: claims.sid, generation: claims.gen, tokenExpiresAt: claims.exp * 1000 };
  const outcome = await state.rotate(presented, { ip: meta.ip, userAgent: meta.userAgent }, now);
  if (!outcome.ok && outcome.reason === 'locked') throw accountLocked({ ...outcome, byAdmin: true });
  const db = createDb(env.DB);
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
  const user = await findUserById(db, claims.sub);
  if (!user || !user.isActive) {
    await state.revokeSession(claims.sid, 'revoked', now);
    throw new ApiError('unauthorized');
  }
  await historySeen(db, outcome.session);
  return tokenResponse(env, user, outcome.session, outcome.generation, now);
}
