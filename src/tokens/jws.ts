import { base64url } from 'jose';
import type { SigningAlg } from './claims';

/**
 * Compact JWS signing for our own tokens, the bytes jose's SignJWT writes (the header and
 * claims as JSON, in the order given, base64url without padding; the WebCrypto signature)
 * without its per-token work for cases we never have: a structuredClone of the claims,
 * header normalization and `crit`/`b64` checks, key re-checks. The protected header of a
 * key and token type never changes, so it is encoded once. Verification stays with jose.
 * test/tokens.jws.test.ts holds the output to jose's, byte for byte (Ed25519 is deterministic).
 */

/** WebCrypto's parameters for each of our algorithms (what jose passes to subtle.sign). */
const SIGN_PARAMS: Record<SigningAlg, { name: string; hash?: string }> = {
  EdDSA: { name: 'Ed25519' },
  ES256: { name: 'ECDSA', hash: 'SHA-256' },
};

const encoder = new TextEncoder();
const headers = new Map<string, string>();
const MAX_CACHED_HEADERS = 32;

/** base64url of `{"alg","kid","typ"}`, in that order, as SignJWT's setProtectedHeader writes it. */
export function encodedHeader(alg: SigningAlg, kid: string, typ: string): string {
  const cacheKey = `${alg} ${kid} ${typ}`;
  let encoded = headers.get(cacheKey);
  if (encoded === undefined) {
    // A few keys and two token types; a rotated-away key's entries are dropped with the rest.
    if (headers.size >= MAX_CACHED_HEADERS) headers.clear();
    encoded = base64url.encode(JSON.stringify({ alg, kid, typ }));
    headers.set(cacheKey, encoded);
  }
  return encoded;
}

/** A compact JWS of `claims` (a plain JSON object of strings, numbers and booleans). */
export async function signCompact(signing: { alg: SigningAlg; kid: string; key: CryptoKey }, typ: string, claims: { iat?: number; exp?: number; [claim: string]: unknown }): Promise<string> {
  // As jose does: JSON would write a non-finite time as null, a token that never expires.
  for (const time of [claims.iat, claims.exp]) {
    if (time !== undefined && !Number.isFinite(time)) throw new TypeError('"iat" and "exp" must be finite numbers');
  }
  const input = `${encodedHeader(signing.alg, signing.kid, typ)}.${base64url.encode(JSON.stringify(claims))}`;
  const signature = await crypto.subtle.sign(SIGN_PARAMS[signing.alg], signing.key, encoder.encode(input));
  return `${input}.${base64url.encode(new Uint8Array(signature))}`;
}
