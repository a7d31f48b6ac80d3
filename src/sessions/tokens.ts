import type { Env } from '../env';
import { getConfig } from '../config/config';
import type { UserRow } from '../db/schema';
import { signAccessToken } from '../tokens';
import { signRefreshToken } from '../tokens/refresh';
import type { SessionRecord } from '../accounts/state/sessions';
import { serializeUser, type PublicUser } from '../users/serialize';

export interface TokenResponse {
  access: string;
  refresh: string;
  token_type: 'Bearer';
  expires_in: number;
  user: PublicUser;
}

/**
 * The token pair for a session at a rotation generation (API.md token response). The
 * refresh token lasts until the session's absolute end; whether the session is still
 * live before that (its idle expiry) is the per-user object's to say.
 */
export async function tokenResponse(env: Env, user: UserRow, session: SessionRecord, generation: number, now: number): Promise<TokenResponse> {
  const [access, refresh] = await Promise.all([
    signAccessToken(env, { sub: user.id, sid: session.id, role: user.role, email_verified: user.emailVerified }, now),
    signRefreshToken(env, { sub: user.id, sid: session.id, gen: generation }, session.absoluteExpiresAt, now),
  ]);
  return { access, refresh, token_type: 'Bearer', expires_in: getConfig(env).ttl.accessToken, user: serializeUser(user) };
}
