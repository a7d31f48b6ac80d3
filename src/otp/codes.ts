import type { Env } from '../env';
import { getConfig } from '../config/config';
import { sha256Hex, timingSafeEqualStrings } from '../crypto/hash';
import { randomDigits } from '../crypto/random';
import { accountState } from '../accounts/state/client';
import type { CodeOutcome } from '../accounts/state/secrets-ledger';
import { liftSuppressionOnProof } from '../bounces/suppressions';
import type { CodeAttempt } from '../accounts/state/code-attempt';
import { submitCode, type CodeOwner } from './submit';

/**
 * Emailed one-time codes bound to a purpose: signing in, or resetting a password.
 * As for email verification (verification/email-secrets.ts), KV keeps only a hash of the
 * code with a TTL, and the user's Durable Object keeps the ledger that counts wrong
 * tries, makes the code single use and kills the previous code on reissue; every
 * attempt goes through submit.ts, which also keeps the daily budget of wrong codes.
 *
 * The purpose is in the KV key, in the ledger entry and in the hash, so a code issued
 * for one purpose never works for another, nor for email verification ('verify_email').
 */
export type CodePurpose = 'login' | 'reset';

const KV_MIN_TTL = 60;

interface CodeRecord {
  generation: string;
  code_hash: string;
  expires_at: number;
}

/** What a submitted code is, before any attempt is spent on it. */
export interface CodeCheck {
  generation: string;
  matched: boolean;
}

const ledgerPurpose = (purpose: CodePurpose) => `otp_${purpose}`;
const kvKey = (purpose: CodePurpose, userId: string) => `otp:${purpose}:${userId}`;
const hashCode = (purpose: CodePurpose, generation: string, code: string) => sha256Hex(`${purpose}:${generation}:${code}`);

export interface IssuedCode {
  code: string;
  expiresAt: number;
}

/** A fresh 6-digit code for `purpose`; the user's previous code for it stops working. */
export async function issueCode(env: Env, purpose: CodePurpose, userId: string, now: number): Promise<IssuedCode> {
  const { ttl } = getConfig(env);
  const generation = crypto.randomUUID();
  const code = randomDigits(6);
  const expiresAt = now + ttl.code * 1000;
  // Ledger first: once it names the new generation, the previous code is dead.
  await accountState(env, userId).issueCode(ledgerPurpose(purpose), { generation, codeExpiresAt: expiresAt, linkExpiresAt: null });
  const record: CodeRecord = { generation, code_hash: await hashCode(purpose, generation, code), expires_at: expiresAt };
  await env.KV.put(kvKey(purpose, userId), JSON.stringify(record), { expirationTtl: Math.max(KV_MIN_TTL, ttl.code) });
  return { code, expiresAt };
}

/**
 * Compares `code` with the user's current code without spending an attempt; null when
 * no code was issued (or KV no longer holds it). `userId` null (no account) reads a key
 * that never exists, so the work resembles a real look-up.
 */
export async function checkCode(env: Env, purpose: CodePurpose, userId: string | null, code: string): Promise<CodeCheck | null> {
  const record = await env.KV.get<CodeRecord>(kvKey(purpose, userId ?? '-'), 'json');
  if (!record) return null;
  const matched = timingSafeEqualStrings(await hashCode(purpose, record.generation, code), record.code_hash);
  return { generation: record.generation, matched };
}

const attemptOf = (purpose: CodePurpose, check: CodeCheck | null, spend: boolean): CodeAttempt => ({
  purpose: ledgerPurpose(purpose),
  generation: check?.generation ?? null,
  matched: check?.matched ?? false,
  spend,
  acceptUsed: false,
  // Both purposes open the account: an admin lock refuses them.
  wayIn: true,
});

/**
 * Spends one attempt (submit.ts): a wrong code counts toward the code's cap and the
 * owner's daily budget; a right one is consumed, and exactly one concurrent right answer
 * gets 'ok'. `check` null (no code on file, or no account) is a wrong code too.
 * Throws rate_limited (budget spent) or account_locked (admin lock, right code unspent).
 */
export async function spendCode(env: Env, purpose: CodePurpose, owner: CodeOwner, check: CodeCheck | null, now: number): Promise<CodeOutcome> {
  const outcome = await submitCode(env, owner, attemptOf(purpose, check, true), now);
  // A used code proves the address receives mail: a bounce suppression ends.
  if (outcome === 'ok' && owner.userId) await liftSuppressionOnProof(env, owner.userId, `${purpose}_code`, now);
  return outcome;
}

/**
 * What spending the code would answer, the same refusals included, without spending or
 * counting anything: lets a caller validate the rest of a request before the code is used.
 */
export function previewCode(env: Env, purpose: CodePurpose, owner: CodeOwner, check: CodeCheck, now: number): Promise<CodeOutcome> {
  return submitCode(env, owner, attemptOf(purpose, check, false), now);
}

/** checkCode + spendCode: the usual single step. */
export async function attemptCode(env: Env, purpose: CodePurpose, owner: CodeOwner, code: string, now: number): Promise<CodeOutcome> {
  return spendCode(env, purpose, owner, await checkCode(env, purpose, owner.userId, code), now);
}
