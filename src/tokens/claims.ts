import type { Env } from '../env';
import type { Role } from '../db/schema';
import { getConfig } from '../config/config';

/** Who a token is for: what the login/refresh code passes to signAccessToken. */
export type AccessTokenSubject = {
  sub: string;
  sid: string;
  role: Role;
  email_verified: boolean;
};

/** The verified claims of an access token (API.md "Tokens"); routes read them as c.get('auth'). */
export type AccessClaims = AccessTokenSubject & {
  iss: string;
  aud: string;
  jti: string;
  iat: number;
  exp: number;
};

/** RFC 9068 access-token type; a plain `JWT` (e.g. an ID token from elsewhere) is refused. */
export const ACCESS_TOKEN_TYP = 'at+jwt';

/** Asymmetric only: an HS* token could be forged with the public key as its secret. */
export const SIGNING_ALGS = ['EdDSA', 'ES256'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];

/** Ours are about 500 bytes; anything near this is not ours and is refused before parsing. */
export const MAX_TOKEN_LENGTH = 8 * 1024;

/** Tolerated clock difference between this Worker and whoever minted or checks a token. */
export const CLOCK_SKEW_SEC = 30;

/** `aud` of our tokens: JWT_AUDIENCE, or the public URL when unset. */
export function accessTokenAudience(env: Env): string {
  return env.JWT_AUDIENCE?.trim() || getConfig(env).publicUrl;
}
