import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import type { Env } from '../env';
import { getConfig } from '../config/config';
import { ApiError } from '../http/errors';
import { CLOCK_SKEW_SEC, MAX_TOKEN_LENGTH, SIGNING_ALGS, accessTokenAudience } from './claims';
import { getKeySet } from './keys';
import { resolveVerifyKey, COMPACT_JWS } from './verify';

/**
 * Refresh tokens are JWTs of their own type, signed with the same keys: `rt+jwt` is
 * never accepted where `at+jwt` is expected, nor the reverse. They name the user (to
 * find the user's Durable Object), the session and the rotation generation; the Durable
 * Object decides whether that generation is still good.
 */
export const REFRESH_TOKEN_TYP = 'rt+jwt';

export interface RefreshClaims {
  sub: string;
  sid: string;
  gen: number;
  jti: string;
  exp: number;
}

export async function signRefreshToken(
  env: Env,
  subject: { sub: string; sid: string; gen: number },
  expiresAt: number,
  now: number,
): Promise<string> {
  const { signing } = await getKeySet(env, now);
  return new SignJWT({ sid: subject.sid, gen: subject.gen })
    .setProtectedHeader({ alg: signing.alg, kid: signing.kid, typ: REFRESH_TOKEN_TYP })
    .setIssuer(getConfig(env).publicUrl)
    .setAudience(accessTokenAudience(env))
    .setSubject(subject.sub)
    .setJti(crypto.randomUUID())
    .setIssuedAt(Math.floor(now / 1000))
    .setExpirationTime(Math.floor(expiresAt / 1000))
    .sign(signing.key);
}

/** Claims of a refresh token with a good signature and lifetime; any fault is `unauthorized`. */
export async function verifyRefreshToken(env: Env, token: unknown, now: number): Promise<RefreshClaims> {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) throw new ApiError('unauthorized');
  const keys = await getKeySet(env, now);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, (header) => resolveVerifyKey(keys, header), {
      algorithms: [...SIGNING_ALGS],
      typ: REFRESH_TOKEN_TYP,
      issuer: getConfig(env).publicUrl,
      audience: accessTokenAudience(env),
      currentDate: new Date(now),
      clockTolerance: CLOCK_SKEW_SEC,
      requiredClaims: ['sub', 'sid', 'gen', 'jti', 'exp'],
    }));
  } catch {
    throw new ApiError('unauthorized');
  }
  const { sub, sid, gen, jti, exp } = payload;
  if (typeof sub !== 'string' || typeof sid !== 'string' || typeof jti !== 'string' || typeof exp !== 'number') throw new ApiError('unauthorized');
  if (typeof gen !== 'number' || !Number.isInteger(gen) || gen < 0) throw new ApiError('unauthorized');
  return { sub, sid, gen, jti, exp };
}
