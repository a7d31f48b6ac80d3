import { SignJWT } from 'jose';
import type { Env } from '../env';
import { getConfig } from '../config/config';
import { ACCESS_TOKEN_TYP, accessTokenAudience, type AccessClaims, type AccessTokenSubject } from './claims';
import { getKeySet } from './keys';

/**
 * Mints an access token with the current signing key; `now` is clock.now() in ms. With
 * `notAfter` (ms; a session's absolute end) the token expires then at the latest.
 */
export async function signAccessToken(env: Env, subject: AccessTokenSubject, now: number, notAfter?: number): Promise<string> {
  if (!subject.sub || !subject.sid) throw new Error('signAccessToken needs a sub and a sid');
  const config = getConfig(env);
  const { signing } = await getKeySet(env, now);
  const iat = Math.floor(now / 1000);
  const claims: AccessClaims = {
    iss: config.publicUrl,
    aud: accessTokenAudience(env),
    sub: subject.sub,
    sid: subject.sid,
    jti: crypto.randomUUID(),
    iat,
    exp: Math.min(iat + config.ttl.accessToken, notAfter === undefined ? Infinity : Math.floor(notAfter / 1000)),
    role: subject.role,
    email_verified: subject.email_verified,
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: signing.alg, kid: signing.kid, typ: ACCESS_TOKEN_TYP })
    .sign(signing.key);
}
