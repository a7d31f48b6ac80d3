import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { decodeJwt, exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWK } from 'jose';
import { signAccessToken } from '../src/tokens';
import { signRefreshToken, verifyRefreshToken, REFRESH_TOKEN_TYP } from '../src/tokens/refresh';
import { ACCESS_TOKEN_TYP } from '../src/tokens/claims';
import { getKeySet } from '../src/tokens/keys';
import { signCompact } from '../src/tokens/jws';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

async function makeJwk(alg: 'EdDSA' | 'ES256', kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, { crv: alg === 'EdDSA' ? 'Ed25519' : 'P-256', extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg };
}
const withJwks = (...keys: JWK[]) => ({ ...env, JWT_PRIVATE_JWKS: JSON.stringify({ keys }) });
const ed = withJwks(await makeJwk('EdDSA', 'jws-ed'));
const es = withJwks(await makeJwk('ES256', 'jws-es'));

/** How the tokens were signed before: jose's SignJWT, claims in the token's own order. */
async function viaJose(e: typeof env, typ: string, token: string): Promise<string> {
  const { signing } = await getKeySet(e, NOW);
  return new SignJWT(decodeJwt(token)).setProtectedHeader({ alg: signing.alg, kid: signing.kid, typ }).sign(signing.key);
}

describe('compact JWS signing (tokens/jws.ts)', () => {
  it('writes the bytes jose wrote: access and refresh tokens, Ed25519 (deterministic)', async () => {
    const access = await signAccessToken(ed, { sub: 'u1', sid: 's1', role: 'user', email_verified: true }, NOW);
    expect(access).toBe(await viaJose(ed, ACCESS_TOKEN_TYP, access));
    const refresh = await signRefreshToken(ed, { sub: 'u1', sid: 's1', gen: 3 }, NOW + 86_400_000, NOW);
    expect(refresh).toBe(await viaJose(ed, REFRESH_TOKEN_TYP, refresh));
    // And the claims are where SignJWT's setters put them, in its order.
    expect(Object.keys(decodeJwt(refresh))).toEqual(['sid', 'gen', 'iss', 'aud', 'sub', 'jti', 'iat', 'exp']);
    expect(decodeJwt(refresh)).toMatchObject({ sid: 's1', gen: 3, sub: 'u1', iat: NOW / 1000, exp: NOW / 1000 + 86_400 });
  });

  it('ES256: the same header and claims, and a signature jose verifies', async () => {
    const refresh = await signRefreshToken(es, { sub: 'u2', sid: 's2', gen: 0 }, NOW + 60_000, NOW);
    const [header, payload] = refresh.split('.');
    const [joseHeader, josePayload] = (await viaJose(es, REFRESH_TOKEN_TYP, refresh)).split('.');
    expect([header, payload]).toEqual([joseHeader, josePayload]);
    await expect(verifyRefreshToken(es, refresh, NOW)).resolves.toMatchObject({ sub: 'u2', sid: 's2', gen: 0 });
    const { signing } = await getKeySet(es, NOW);
    const { publicKey } = await generateKeyPair('ES256');
    await expect(jwtVerify(refresh, publicKey)).rejects.toThrow();
    expect(signing.alg).toBe('ES256');
  });

  it('refuses a time JSON would write as null', async () => {
    const { signing } = await getKeySet(ed, NOW);
    await expect(signCompact(signing, ACCESS_TOKEN_TYP, { sub: 'u', exp: Infinity })).rejects.toThrow(TypeError);
    await expect(signCompact(signing, ACCESS_TOKEN_TYP, { sub: 'u', iat: NaN })).rejects.toThrow(TypeError);
  });
});
