import type { Env } from '../env';
import type { UserRow } from '../db/schema';
import type { RequestMeta } from '../http/request-meta';
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
export async function completeSignIn(
  env: Env,
  user: UserRow,
  meta: RequestMeta,
  device: DeviceInput | null | undefined,
  method: string,
  now: number,
): Promise<SignInResult> {
  if (user.mfaEnabled) return { mfa_required: true, mfa_token: await issueMfaToken(env, user, device, method, now) };
  return startSession(env, user, meta, device, method, now);
}
