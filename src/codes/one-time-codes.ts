import type { Env } from '../env';
import { getConfig } from '../config/config';
import type { CodeOutcome } from '../accounts/state/secrets-ledger';
import { attemptSecret, issueSecret, judgeSecret, type SecretJudgement, type SignInCodeOptions, type CodeOwner, type Deferrer, type SecretKind } from './emailed-secret';

export type { CodeOwner } from './emailed-secret';

/**
 * Emailed one-time codes bound to a purpose: signing in, or resetting a password
 * (emailed-secret.ts is the mechanism). The purpose is in the KV key, in the ledger entry
 * and in the hash, so a code issued for one purpose never works for another, nor for
 * email verification ('verify_email'). Both purposes open the account: an admin lock
 * refuses them.
 */
export type CodePurpose = 'login' | 'reset';

const KINDS: Record<CodePurpose, SecretKind> = {
  login: kindOf('login'),
  reset: kindOf('reset'),
};

function kindOf(purpose: CodePurpose): SecretKind {
  return {
    ledger: `otp_${purpose}`,
    kvKey: (userId) => `otp:${purpose}:${userId}`,
    hashInput: (generation, code) => `${purpose}:${generation}:${code}`,
    wayIn: true,
    proof: `${purpose}_code` as const,
  };
}

export interface IssuedCode {
  code: string;
  expiresAt: number;
}

/** A fresh 6-digit code for `purpose`; the user's previous code for it stops working. */
export async function issueCode(env: Env, purpose: CodePurpose, userId: string, now: number): Promise<IssuedCode> {
  const issued = await issueSecret(env, KINDS[purpose], userId, getConfig(env).ttl.code, now);
  return { code: issued.code, expiresAt: issued.codeExpiresAt };
}

/**
 * Spends one attempt in one call to the object, which checks the code against its
 * ledger (attemptSecret): 'ok' for exactly one right answer (`defer`: what a right code sets off runs
 * after the answer).
 */
export function attemptCode(env: Env, purpose: CodePurpose, owner: CodeOwner, code: string, now: number, defer?: Deferrer): Promise<CodeOutcome> {
  return attemptSecret(env, KINDS[purpose], owner, code, now, { spend: true, defer });
}

/**
 * attemptCode for a sign-in code, with the session a right code opens in the same object
 * call (`signIn.session`; leave it out for an account that may not sign in yet, or needs a
 * second factor). The judgement's session is null when none was opened; 'stale' when
 * `signIn.stamp` predates the account's fence (fence.ts: nothing was spent or counted).
 */
export function attemptSignInCode(env: Env, owner: CodeOwner, code: string, now: number, signIn: SignInCodeOptions, defer?: Deferrer): Promise<SecretJudgement> {
  return judgeSecret(env, KINDS.login, owner, code, now, { spend: true, defer }, signIn);
}

/**
 * What spending a reset code would answer, judged by the object against the hash its
 * ledger keeps (no KV read first); nothing is spent or counted.
 */
export function previewResetCode(env: Env, owner: CodeOwner, code: string, now: number): Promise<CodeOutcome> {
  return attemptSecret(env, KINDS.reset, owner, code, now, { spend: false });
}
