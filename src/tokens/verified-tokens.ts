import type { AccessClaims } from './claims';
import type { KeySet } from './keys';
import { rememberBounded } from '../isolate/bounded-memo';

/**
 * Access tokens this isolate has verified, by their text. A client sends the same token
 * with every request of its 15 minutes and a signature cannot change, so the signature is
 * checked once per isolate (Envoy's jwt_authn keeps such a cache too). What can change is
 * checked on every use:
 * - the times, exactly as jose checks them (nbf, exp, and iat against the maximum age, all
 *   with the clock tolerance); a token they refuse is handed back to jose, which refuses it;
 * - the key set: an entry counts only for the KeySet it was verified with (keys.ts keeps one
 *   per JWT_PRIVATE_JWKS value), so a key taken out of the secret stops its tokens at once;
 * - the issuer, audience and maximum age it was verified for (`context`).
 * Bounded: past the limit the oldest entry goes (only a shortcut; a miss costs one verify).
 */
export interface VerifiedToken {
  claims: AccessClaims;
  keys: KeySet;
  context: string;
  /** The token's numeric dates (seconds). */
  iat: number;
  exp: number;
  nbf: number | undefined;
}

export interface TimeRules {
  /** Seconds since the epoch, as jose counts them (floor). */
  nowSec: number;
  toleranceSec: number;
  maxAgeSec: number;
}

export type VerifiedTokens = Map<string, VerifiedToken>;
export const VERIFIED_TOKENS_LIMIT = 5_000;
const isolateTokens: VerifiedTokens = new Map();

/** jose's checks of the numeric dates (jwt_claims_set.js), for an entry already verified. */
export function timesHold(t: Pick<VerifiedToken, 'iat' | 'exp' | 'nbf'>, { nowSec, toleranceSec, maxAgeSec }: TimeRules): boolean {
  if (t.nbf !== undefined && t.nbf > nowSec + toleranceSec) return false;
  if (t.exp <= nowSec - toleranceSec) return false;
  const age = nowSec - t.iat;
  return age - toleranceSec <= maxAgeSec && age >= -toleranceSec;
}

/** The claims of `token` if this isolate verified it under `keys` and `context` and its times still hold. */
export function recallVerified(token: string, keys: KeySet, context: string, rules: TimeRules, cache: VerifiedTokens = isolateTokens): AccessClaims | undefined {
  const entry = cache.get(token);
  if (!entry || entry.keys !== keys || entry.context !== context || !timesHold(entry, rules)) return undefined;
  return entry.claims;
}

export function rememberVerified(token: string, entry: VerifiedToken, cache: VerifiedTokens = isolateTokens): void {
  rememberBounded(cache, token, entry, VERIFIED_TOKENS_LIMIT);
}
