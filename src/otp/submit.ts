import type { Env } from '../env';
import { ApiError } from '../http/errors';
import { accountLocked } from '../auth/locked';
import { identifierHash } from '../auth/identifier';
import { accountState, standInState } from '../accounts/state/client';
import type { CodeAttempt } from '../accounts/state/code-attempt';
import type { CodeOutcome } from '../accounts/state/secrets-ledger';

/** Whose code it is: the account of an address, or (userId null) an address with none. */
export interface CodeOwner {
  userId: string | null;
  email: string;
}

/**
 * The object that judges an owner's codes: the account's own, or for an address with no
 * account the stand-in object login uses for it too, so the daily budget of wrong codes
 * runs out, and answers, exactly as it does for an account.
 */
export async function codeHolder(env: Env, owner: CodeOwner) {
  if (owner.userId) return accountState(env, owner.userId);
  return standInState(env, await identifierHash({ kind: 'email', value: owner.email }));
}

/**
 * The one door every emailed code (verification, sign-in, reset) goes through. Returns
 * the ledger's answer; throws rate_limited (429) once the owner's daily budget of wrong
 * codes is spent, and account_locked (423) for a right sign-in or reset code while an
 * admin lock holds.
 */
export async function submitCode(env: Env, owner: CodeOwner, attempt: CodeAttempt, now: number): Promise<CodeOutcome> {
  const result = await (await codeHolder(env, owner)).attemptCode(attempt, now);
  if (result.outcome === 'rate_limited') throw new ApiError('rate_limited', 'Too many wrong codes; try again later.', { retryAfter: result.retryAfter });
  if (result.outcome === 'locked') throw accountLocked({ retryAfter: result.retryAfter, byAdmin: true });
  return result.outcome;
}

