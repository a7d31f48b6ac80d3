import type { Env } from '../env';
import { getConfig } from '../config/config';
import { sha256Hex } from '../crypto/hash';
import { randomToken } from '../crypto/random';
import { accountState } from '../accounts/state/client';
import type { CodeOutcome } from '../accounts/state/secrets-ledger';
import type { Verified } from '../accounts/state/code-attempt';
import type { VerifiedEntry } from '../accounts/state/verified-outbox';
import { liftSuppressionOnProof } from '../mail/bounces/suppressions';
import { issueSecret, judgeSecret, kvTtl, type CodeOwner, type Deferrer, type SecretKind } from './emailed-secret';

/**
 * Email verification secrets: a link token (256 bits, 24 h) and a 6-digit code (10 min),
 * issued together under one generation (emailed-secret.ts is the mechanism); the link's
 * hash is kept in KV beside the code's. Verifying an address lets nobody in: an admin
 * lock does not stop it.
 */
const VERIFY: SecretKind = {
  ledger: 'verify_email',
  kvKey: (userId) => `verify:code:${userId}`,
  hashInput: (generation, code) => `${generation}:${code}`,
  wayIn: false,
  proof: 'verify_code',
};

interface LinkRecord {
  user_id: string;
  generation: string;
  expires_at: number;
}

const linkKey = (tokenHash: string) => `verify:link:${tokenHash}`;

export interface IssuedVerification {
  code: string;
  token: string;
  codeExpiresAt: number;
  linkExpiresAt: number;
}

export async function issueVerification(env: Env, userId: string, now: number): Promise<IssuedVerification> {
  const { ttl } = getConfig(env);
  const token = randomToken(32);
  const linkExpiresAt = now + ttl.verifyLink * 1000;
  const { code, generation, codeExpiresAt } = await issueSecret(env, VERIFY, userId, ttl.code, now, linkExpiresAt);
  const linkRecord: LinkRecord = { user_id: userId, generation, expires_at: linkExpiresAt };
  await env.KV.put(linkKey(await sha256Hex(token)), JSON.stringify(linkRecord), { expirationTtl: kvTtl(ttl.verifyLink) });
  return { code, token, codeExpiresAt, linkExpiresAt };
}

/** What a verification attempt found; `verified` (with an entry): 'now' when it verified the address, 'before' when the object had. */
export interface VerificationAttempt {
  outcome: CodeOutcome;
  verified?: Verified;
}

/**
 * Spends one attempt at the code: exactly one concurrent right answer gets 'ok', and every
 * other answer costs the code a try and the owner its daily budget, whatever the
 * account's state. `acceptUsed`: the address is verified already, so the code that did
 * it still answers 'ok'. `verifies`: the row is unverified; a right code records this
 * entry in the object in the same step (accounts/state/verified-outbox.ts). Throws
 * rate_limited once the budget is spent.
 */
export async function attemptVerificationCode(env: Env, owner: CodeOwner, code: string, now: number, acceptUsed = false, defer?: Deferrer): Promise<CodeOutcome> {
  return (await judgeVerificationCode(env, owner, code, now, { acceptUsed, defer })).outcome;
}

/** attemptVerificationCode, saying whether the object verified the address (see `verifies`). */
export async function judgeVerificationCode(
  env: Env,
  owner: CodeOwner,
  code: string,
  now: number,
  options: { acceptUsed?: boolean; defer?: Deferrer; verifies?: VerifiedEntry } = {},
): Promise<VerificationAttempt> {
  const judged = await judgeSecret(env, VERIFY, owner, code, now, { spend: true, ...options });
  // Only a stamped sign-in can be answered 'stale'; this attempt carries no stamp.
  if (judged.outcome === 'stale') throw new Error('unstamped code attempt answered stale');
  return { outcome: judged.outcome, ...(judged.verified ? { verified: judged.verified } : {}) };
}

/** The account a link token points to, if the token was ever issued and KV still holds it. */
export async function lookupLink(env: Env, token: string): Promise<LinkRecord | null> {
  return env.KV.get<LinkRecord>(linkKey(await sha256Hex(token)), 'json');
}

/** Uses a link: a right one records `entry` in the object in the same step; 'before' when the object had verified the address. */
export async function consumeVerificationLink(env: Env, link: LinkRecord, entry: VerifiedEntry, now: number): Promise<VerificationAttempt> {
  const result = await accountState(env, link.user_id).consumeVerificationLink(VERIFY.ledger, link.generation, entry, now);
  if (result.verified === 'now') await liftSuppressionOnProof(env, link.user_id, 'verify_link', now);
  return result;
}

export function describeVerification(env: Env, userId: string, now: number) {
  return accountState(env, userId).describeSecret(VERIFY.ledger, now);
}
