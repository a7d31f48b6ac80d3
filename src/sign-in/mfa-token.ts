import type { Env } from '../env';
import type { UserRow } from '../db/schema';
import type { DeviceInput } from './start-session';
import { sha256Hex } from '../crypto/hash';
import { randomToken } from '../crypto/random';
import { accountState } from '../accounts/state/client';
import type { MfaChallenge } from '../accounts/state/mfa-challenges';

/**
 * The mfa_token handed out after a first factor: `mfa_<user id>_<256-bit secret>`. It is
 * opaque, not a JWT, so it can never pass as an access token; the user's Durable Object
 * keeps only the secret's hash, its expiry and its attempt count.
 */
export const MFA_TOKEN_TTL_MS = 5 * 60 * 1000;
const SHAPE = /^mfa_([0-9A-Za-z-]{1,64})_([A-Za-z0-9_-]{43})$/;

export async function issueMfaToken(
  env: Env,
  user: Pick<UserRow, 'id'>,
  device: DeviceInput | null | undefined,
  firstFactor: string,
  now: number,
): Promise<string> {
  const { token, tokenHash, challenge } = await newMfaChallenge(user, device, firstFactor, now);
  await accountState(env, user.id).openMfaChallenge(tokenHash, challenge, now);
  return token;
}

/** A new mfa_token and the challenge the object keeps for it, for the caller to open (issueMfaToken, or the password's settling call). */
export async function newMfaChallenge(user: Pick<UserRow, 'id'>, device: DeviceInput | null | undefined, firstFactor: string, now: number) {
  const secret = randomToken(32);
  const challenge: Omit<MfaChallenge, 'attempts' | 'inflight'> = { expiresAt: now + MFA_TOKEN_TTL_MS, firstFactor, device: device ?? null };
  return { token: `mfa_${user.id}_${secret}`, tokenHash: await sha256Hex(secret), challenge };
}

export interface ParsedMfaToken {
  userId: string;
  tokenHash: string;
}

export async function parseMfaToken(token: string): Promise<ParsedMfaToken | null> {
  const match = SHAPE.exec(token);
  if (!match) return null;
  return { userId: match[1]!, tokenHash: await sha256Hex(match[2]!) };
}
