import type { Env } from '../env';
import { getConfig } from '../config/config';
import { sha256Hex, timingSafeEqualStrings } from '../crypto/hash';
import { randomDigits, randomToken } from '../crypto/random';
import { accountState } from '../accounts/state/client';
import type { CodeOutcome } from '../accounts/state/secrets-ledger';
import { liftSuppressionOnProof } from '../bounces/suppressions';
import { submitCode, type CodeOwner } from '../otp/submit';

/**
 * Email verification secrets: a link token (256 bits, 24 h) and a 6-digit code (10 min),
 * issued together. KV keeps only their hashes, with a TTL; the user's Durable Object
 * keeps the ledger that makes them single use and kills the previous pair on reissue.
 */
const PURPOSE = 'verify_email';
const KV_MIN_TTL = 60;

interface CodeRecord {
  generation: string;
  code_hash: string;
  expires_at: number;
}

interface LinkRecord {
  user_id: string;
  generation: string;
  expires_at: number;
}

const codeKey = (userId: string) => `verify:code:${userId}`;
const linkKey = (tokenHash: string) => `verify:link:${tokenHash}`;
const hashCode = (generation: string, code: string) => sha256Hex(`${generation}:${code}`);

export interface IssuedVerification {
  code: string;
  token: string;
  codeExpiresAt: number;
  linkExpiresAt: number;
}

export async function issueVerification(env: Env, userId: string, now: number): Promise<IssuedVerification> {
  const { ttl } = getConfig(env);
  const generation = crypto.randomUUID();
  const code = randomDigits(6);
  const token = randomToken(32);
  const codeExpiresAt = now + ttl.code * 1000;
  const linkExpiresAt = now + ttl.verifyLink * 1000;
  // Ledger first: once it names the new generation, the previous code and link are dead.
  await accountState(env, userId).issueCode(PURPOSE, { generation, codeExpiresAt, linkExpiresAt });
  const codeRecord: CodeRecord = { generation, code_hash: await hashCode(generation, code), expires_at: codeExpiresAt };
  const linkRecord: LinkRecord = { user_id: userId, generation, expires_at: linkExpiresAt };
  await Promise.all([
    env.KV.put(codeKey(userId), JSON.stringify(codeRecord), { expirationTtl: Math.max(KV_MIN_TTL, ttl.code) }),
    env.KV.put(linkKey(await sha256Hex(token)), JSON.stringify(linkRecord), {
      expirationTtl: Math.max(KV_MIN_TTL, ttl.verifyLink),
    }),
  ]);
  return { code, token, codeExpiresAt, linkExpiresAt };
}

/**
 * Whether `code` is the user's current code, without spending it. `userId` null (no
 * account) reads a key that never exists, so the work resembles a real look-up.
 */
async function codeMatches(env: Env, userId: string | null, code: string): Promise<{ record: CodeRecord; matched: boolean } | null> {
  const record = await env.KV.get<CodeRecord>(codeKey(userId ?? '-'), 'json');
  if (!record) return null;
  return { record, matched: timingSafeEqualStrings(await hashCode(record.generation, code), record.code_hash) };
}

/**
 * Spends one attempt at the code through the one door of emailed codes (otp/submit.ts):
 * exactly one concurrent right answer gets 'ok', and every other answer costs the code a
 * try and the owner its daily budget, whatever the account's state. `acceptUsed`: the
 * address is verified already, so the code that did it still answers 'ok'.
 * Throws rate_limited once the budget is spent.
 */
export async function attemptVerificationCode(env: Env, owner: CodeOwner, code: string, now: number, acceptUsed = false): Promise<CodeOutcome> {
  const found = await codeMatches(env, owner.userId, code);
  const outcome = await submitCode(
    env,
    owner,
    // Verifying an address lets nobody in: an admin lock does not stop it.
    { purpose: PURPOSE, generation: found?.record.generation ?? null, matched: found?.matched ?? false, spend: true, acceptUsed, wayIn: false },
    now,
  );
  if (outcome === 'ok' && owner.userId) await liftSuppressionOnProof(env, owner.userId, 'verify_code', now);
  return outcome;
}

/** The account a link token points to, if the token was ever issued and KV still holds it. */
export async function lookupLink(env: Env, token: string): Promise<LinkRecord | null> {
  return env.KV.get<LinkRecord>(linkKey(await sha256Hex(token)), 'json');
}

export async function consumeVerificationLink(env: Env, link: LinkRecord, now: number): Promise<CodeOutcome> {
  const outcome = await accountState(env, link.user_id).consumeLink(PURPOSE, link.generation, now);
  if (outcome === 'ok') await liftSuppressionOnProof(env, link.user_id, 'verify_link', now);
  return outcome;
}

export function describeVerification(env: Env, userId: string, now: number) {
  return accountState(env, userId).describeSecret(PURPOSE, now);
}
