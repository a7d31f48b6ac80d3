import { jwtVerify, type JWTHeaderParameters, type JWTPayload } from 'jose';
import type { Env } from '../env';
import { getConfig } from '../config/config';
import { ApiError } from '../http/errors';
import { ROLES } from '../db/schema';
import {
  ACCESS_TOKEN_TYP,
  CLOCK_SKEW_SEC,
  MAX_TOKEN_LENGTH,
  SIGNING_ALGS,
  accessTokenAudience,
  type AccessClaims,
} from './claims';
import { KID_PATTERN } from './jwk';
import { getKeySet, type KeySet } from './keys';
import { recallVerified, rememberVerified } from './verified-tokens';

/** Three base64url parts: a cheap gate before any decoding. */
export const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Our tokens carry exactly these header members. Anything else is refused, which covers
 * key-injection headers (jwk, jku, x5u, x5c, x5t) and crit/b64 tricks without a list of them.
 */
const ALLOWED_HEADER = new Set(['alg', 'kid', 'typ']);

const REQUIRED_CLAIMS = ['iss', 'aud', 'sub', 'sid', 'jti', 'iat', 'exp', 'role', 'email_verified'];

/**
 * Verifies an access token at `now` (ms) and returns its claims. Any fault in the token is
 * `unauthorized`, with no detail for the caller; a key misconfiguration stays a 503.
 */
export async function verifyAccessToken(env: Env, token: string, now: number): Promise<AccessClaims> {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) {
    throw new ApiError('unauthorized');
  }
  const config = getConfig(env);
  const keys = await getKeySet(env, now);
  const audience = accessTokenAudience(env);
  const context = `${config.publicUrl} ${audience} ${config.ttl.accessToken}`;
  const rules = { nowSec: Math.floor(now / 1000), toleranceSec: CLOCK_SKEW_SEC, maxAgeSec: config.ttl.accessToken };
  const known = recallVerified(token, keys, context, rules);
  if (known) return known;
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, (header) => resolveVerifyKey(keys, header), {
      algorithms: [...SIGNING_ALGS],
      typ: ACCESS_TOKEN_TYP,
      issuer: config.publicUrl,
      audience,
      currentDate: new Date(now),
      clockTolerance: CLOCK_SKEW_SEC,
      // Also refuses an `iat` in the future (jose checks iat only with maxTokenAge).
      maxTokenAge: config.ttl.accessToken,
      requiredClaims: REQUIRED_CLAIMS,
    }));
  } catch {
    throw new ApiError('unauthorized');
  }
  const claims = toAccessClaims(payload);
  if (!claims) throw new ApiError('unauthorized');
  rememberVerified(token, { claims: Object.freeze(claims), keys, context, iat: payload.iat!, exp: payload.exp!, nbf: payload.nbf });
  return claims;
}

/**
 * jose key resolver, run before the signature check: picks the key by kid, refusing
 * anything unexpected. Shared with refresh tokens, which use the same keys.
 */
export function resolveVerifyKey(keys: KeySet, header: JWTHeaderParameters): CryptoKey {
  for (const name of Object.keys(header)) {
    if (!ALLOWED_HEADER.has(name)) throw new Error(`header member ${name} not accepted`);
  }
  const { kid, alg } = header;
  if (typeof kid !== 'string' || !KID_PATTERN.test(kid)) throw new Error('bad kid');
  const entry = keys.verify.get(kid);
  if (!entry || entry.alg !== alg) throw new Error('unknown kid');
  return entry.key;
}

/** Only the claims we issue, with the types we issue them in. */
function toAccessClaims(p: JWTPayload): AccessClaims | null {
  const { iss, aud, sub, sid, jti, iat, exp, role, email_verified } = p;
  if (typeof iss !== 'string' || typeof aud !== 'string' || typeof jti !== 'string') return null;
  if (typeof sub !== 'string' || !sub || typeof sid !== 'string' || !sid) return null;
  if (typeof iat !== 'number' || typeof exp !== 'number') return null;
  if (!ROLES.includes(role as never) || typeof email_verified !== 'boolean') return null;
  return { iss, aud, sub, sid, jti, iat, exp, role: role as AccessClaims['role'], email_verified };
}
