import type { Env } from '../env';
import { getConfig } from '../config/config';
import { ApiError } from '../http/errors';
import { accountLocked } from '../auth/locked';
import { identifierHash } from '../auth/identifier';
import { identifierState, userState } from '../state/user-state';
import type { CodeAttempt, CodeRules } from '../state/code-attempt';
import type { CodeOutcome } from '../state/secrets-ledger';

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
  if (owner.userId) return userState(env, owner.userId);
  return identifierState(env, await identifierHash({ kind: 'email', value: owner.email }));
}

export function codeRules(env: Env): CodeRules {
  const { codeMaxAttempts, codeFailureBudget } = getConfig(env);
  return { maxAttempts: codeMaxAttempts, budget: { limit: codeFailureBudget.limit, windowMs: codeFailureBudget.windowSec * 1000 } };
}

/**
 * The one door every emailed code (verification, sign-in, reset) goes through. Returns
 * the ledger's answer; throws rate_limited (429) once the owner's daily budget of wrong
 * codes is spent, and account_locked (423) for a right sign-in or reset code while an
 * admin lock holds.
 */
export async function submitCode(env: Env, owner: CodeOwner, attempt: CodeAttempt, now: number): Promise<CodeOutcome> {
  const result = await (await codeHolder(env, owner)).attemptCode(attempt, codeRules(env), now);
  if (result.outcome === 'rate_limited') throw new ApiError('rate_limited', 'Too many wrong codes; try again later.', { retryAfter: result.retryAfter });
  if (result.outcome === 'locked') throw accountLocked({ retryAfter: result.retryAfter, byAdmin: true });
  return result.outcome;
}

