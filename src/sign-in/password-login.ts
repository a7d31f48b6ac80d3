import type { RequestContext } from '../http/request-context';
import type { UserRow } from '../db/schema';
import type { Identifier } from '../users/identifier';
import { assertCanSignIn, refusedOnlyAsUnverified, settlePassword, signInRefusal, type PasswordOffer } from './password';
import { completeSignIn, type SignInResult } from './complete';
import { newMfaChallenge } from './mfa-token';
import { newSession, sessionStarted, type DeviceInput } from './start-session';
import type { Seen } from './fresh-account';

/**
 * POST /auth/login: one password hash, then ONE call to the user's object that settles the
 * attempt under the lockout and opens what a right password earns: the session of an
 * account that may sign in, or the mfa_token challenge of a two-factor one. An account a
 * right password may not sign in gets its 403 only after that (the attempt was passed).
 * `seen`: the replica's row, when the caller has it (sign-in/fresh-account.ts).
 */
export async function passwordLogin(
  ctx: RequestContext,
  identifier: Identifier,
  password: string,
  device: DeviceInput | null | undefined,
  seen?: Seen<UserRow | undefined>,
): Promise<SignInResult> {
  let mfaToken: string | null = null;
  // The offer is made per attempt (a retry on the primary's row makes its own).
  const offer = async (user: UserRow): Promise<PasswordOffer> => {
    mfaToken = null;
    // An unverified address is offered a session the object opens only if it verified the
    // address a moment ago (settlePassword); a two-factor account waits for D1 (mfa/sign-in.ts reads the row).
    if (refusedOnlyAsUnverified(user, ctx.config) && !user.mfaEnabled) return { session: newSession(ctx, device) };
    if (signInRefusal(user, ctx.config)) return {};
    if (!user.mfaEnabled) return { session: newSession(ctx, device) };
    const { token, tokenHash, challenge } = await newMfaChallenge(user, device, 'password', ctx.now);
    mfaToken = token;
    return { mfaChallenge: { tokenHash, challenge } };
  };
  const { user, session } = await settlePassword(ctx, identifier, password, offer, seen);
  if (session) return sessionStarted(ctx, user, device, 'password', session);
  if (mfaToken) return { mfa_required: true, mfa_token: mfaToken };
  assertCanSignIn(user, ctx.config);
  // Not reached: an account that may sign in was offered a session or a challenge.
  return completeSignIn(ctx, user, device, 'password');
}
