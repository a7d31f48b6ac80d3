import type { RequestContext } from '../../http/request-context';
import type { UserRow } from '../../db/schema';
import { ApiError, validationError } from '../../http/errors';
import { normalizePassword } from '../hashing';
import { findUserById } from '../../users/queries';
import { checkPassword } from '../../sign-in/password';
import { metaOf } from '../../http/request-meta';
import { assertAcceptable, assertNotReused } from '../acceptable';
import { revokeSessions, sendPasswordChangedMail, storeNewPassword } from '../store';
import { ownIdentifier } from '../../users/identifier';
import type { ChangePasswordInput } from './schemas';

const WRONG_CURRENT = 'Your current password was entered incorrectly. Please enter it again.';

/**
 * Changes the signed-in user's password. Every session but the caller's (`sessionId`)
 * is revoked; the caller keeps theirs.
 */
export async function changePassword(ctx: RequestContext, auth: { sub: string; sid: string }, input: ChangePasswordInput): Promise<void> {
  const { env, db, meta, now } = ctx;
  const found = await findUserById(db, auth.sub);
  if (!found || !found.isActive) throw new ApiError('unauthorized');
  const user = await confirmCurrentPassword(ctx, found, input.current_password);
  const password = normalizePassword(input.new_password);
  await assertAcceptable(ctx, user, password, 'new_password');
  await assertNotReused(db, user, password, ctx.config.passwordHistory);
  const written = await storeNewPassword(db, user, password, { type: 'password_changed', userId: user.id, actorId: user.id, ...metaOf(meta), metadata: { kept_session: auth.sid }, at: now }, now);
  await revokeSessions(env, user.id, auth.sid, now, written);
  await sendPasswordChangedMail(ctx, user);
}

/**
 * The login's own check, under the account's lockout: a wrong current password is a
 * failed attempt like any other (423 once locked). It answers 400 on the field rather
 * than 401, which a client would take for a dead access token.
 */
async function confirmCurrentPassword(ctx: RequestContext, user: UserRow, password: string): Promise<UserRow> {
  try {
    return await checkPassword(ctx, ownIdentifier(user), password);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'invalid_credentials') throw validationError({ current_password: [WRONG_CURRENT] });
    throw err;
  }
}
