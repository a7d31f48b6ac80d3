import type { RequestContext } from '../http/request-context';
import type { AccessClaims } from '../tokens/claims';
import type { SessionRecord } from '../accounts/state/sessions';
import type { UserRow } from '../db/schema';
import { ApiError } from '../http/errors';
import { accountState } from '../accounts/state/client';
import { historySeen } from '../accounts/state/session-history';
import { accountLocked } from '../sign-in/locked';
import { signAccessToken } from '../tokens/sign';
import { findUserById } from '../users/queries';

/** The session as GET /auth/session/check and POST /auth/session/refresh show it. */
export function describeSession(session: SessionRecord) {
  return {
    id: session.id,
    created_at: new Date(session.createdAt).toISOString(),
    last_seen_at: new Date(session.lastSeenAt).toISOString(),
    expires_at: new Date(session.expiresAt).toISOString(),
    absolute_expires_at: new Date(session.absoluteExpiresAt).toISOString(),
  };
}

/** GET /auth/session/check: the token's session, live in the object, of an active account; else 401. */
export async function checkCurrentSession(ctx: RequestContext, auth: AccessClaims) {
  const [user, session] = await Promise.all([findUserById(ctx.db, auth.sub), accountState(ctx.env, auth.sub).session(auth.sid, ctx.now)]);
  if (!user || !user.isActive || user.deletedAt || !session) throw new ApiError('unauthorized');
  return {
    valid: true as const,
    session: describeSession(session),
    user: { id: user.id, role: user.role, email_verified: user.emailVerified },
  };
}

export interface Renewal {
  access: string;
  /** Seconds the new access token lives (less than the usual lifetime near the session's absolute end). */
  expiresIn: number;
  session: SessionRecord;
}

/**
 * Extends the token's session in the per-user object (its idle expiry moves, never past
 * the absolute end) and mints a new access token for it that expires at the absolute end
 * at the latest. The account is read afresh: its role and verification go into the token,
 * and a deactivated or deleted one gets nothing. Null when the session is not live.
 * Throws 423 while an admin lock holds.
 */
export async function renewSession(ctx: RequestContext, auth: AccessClaims): Promise<Renewal | null> {
  const [user, extended] = await Promise.all([findUserById(ctx.db, auth.sub), accountState(ctx.env, auth.sub).extendSession(auth.sid, ctx.now)]);
  if (!extended) return null;
  if ('locked' in extended) throw accountLocked({ retryAfter: extended.retryAfter, byAdmin: true });
  if (!isUsable(user)) return null;
  const access = await signAccessToken(
    ctx.env,
    { sub: user.id, sid: extended.id, role: user.role, email_verified: user.emailVerified },
    ctx.now,
    extended.absoluteExpiresAt,
  );
  const expiresIn = Math.min(ctx.config.ttl.accessToken, Math.floor(extended.absoluteExpiresAt / 1000) - Math.floor(ctx.now / 1000));
  return { access, expiresIn, session: extended };
}

/** The history row follows the extension (last use, new expiry). */
export function recordRenewal(ctx: RequestContext, renewal: Renewal): Promise<unknown> {
  return historySeen(ctx.db, renewal.session);
}

function isUsable(user: UserRow | undefined | null): user is UserRow {
  return !!user && user.isActive && !user.deletedAt;
}
