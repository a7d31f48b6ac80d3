import type { RequestContext } from '../http/request-context';
import type { UserRow } from '../db/schema';
import { startSession, type DeviceInput } from './start-session';
import { issueMfaToken } from './mfa-token';
import type { TokenResponse } from '../sessions/tokens';

/** What a first factor (password, emailed code) earns: tokens, or a request for the second factor. */
export type SignInResult = TokenResponse | { mfa_required: true; mfa_token: string };

/**
 * The one place every first factor hands over to once it has succeeded and the account
 * may sign in. Two-factor accounts are asked for their second factor here, so no path
 * can yield tokens without it.
 */
export async function completeSignIn(ctx: RequestContext, user: UserRow, device: DeviceInput | null | undefined, method: string): Promise<SignInResult> {
  if (user.mfaEnabled) return { mfa_required: true, mfa_token: await issueMfaToken(ctx.env, user, device, method, ctx.now) };
  return startSession(ctx, user, device, method);
}
