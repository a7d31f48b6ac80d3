import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { SignJWT, decodeProtectedHeader, exportJWK, generateKeyPair, base64url, jwtVerify, importJWK, type JWTPayload, type JWK } from 'jose';
import { CLOCK_SKEW_SEC } from '../src/tokens/claims';
import { rememberVerified, timesHold, VERIFIED_TOKENS_LIMIT, type VerifiedTokens } from '../src/tokens/verified-tokens';
import { signAccessToken, verifyAccessToken } from '../src/tokens';
import { ApiError } from '../src/http/errors';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const ISS = 'http://localhost:8787';
const SUBJECT = { sub: 'user-1', sid: 'session-1', role: 'user', email_verified: true } as const;

type TestKey = { kid: string; alg: 'EdDSA' | 'ES256'; privateKey: CryptoKey; jwk: JWK; publicJwk: JWK };

async function makeKey(alg: 'EdDSA' | 'ES256' = 'EdDSA'): Promise<TestKey> {
  const { privateKey, publicKey } =
    alg === 'EdDSA'
      ? await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true })
      : await generateKeyPair('ES256', { extractable: true });
  const kid = `test-${crypto.randomUUID()}`;
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(privateKey)), kid, alg }, publicJwk: await exportJWK(publicKey) };
}

const withKeys = (...keys: TestKey[]) => ({ ...env, JWT_PRIVATE_JWKS: JSON.stringify({ keys: keys.map((k) => k.jwk) }) });

const key = await makeKey();
const keyEnv = withKeys(key);

function goodClaims(now = NOW): JWTPayload {
  const iat = Math.floor(now / 1000);
  return { iss: ISS, aud: ISS, sub: 'user-1', sid: 'session-1', jti: 'j-1', iat, exp: iat + 900, role: 'user', email_verified: true };
}

/** Signs anything with any key: the attacker's toolbox (and ours, to build edge cases). */
function forge(header: Record<string, unknown>, claims: JWTPayload, signer: CryptoKey | Uint8Array = key.privateKey) {
  return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', kid: key.kid, typ: 'at+jwt', ...header } as never).sign(signer);
}

function unsigned(header: Record<string, unknown>, claims: JWTPayload, signature = ''): string {
  const part = (v: unknown) => base64url.encode(JSON.stringify(v));
  return `${part(header)}.${part(claims)}.${signature}`;
}

async function expectRejected(token: unknown, e: typeof env = keyEnv, now = NOW) {
  const err = await verifyAccessToken(e, token as string, now).then(
    () => null,
    (error: unknown) => error,
  );
  expect(err).toBeInstanceOf(ApiError);
  expect((err as ApiError).code).toBe('unauthorized');
}

describe('signAccessToken / verifyAccessToken', () => {
  it('round-trips the API claims with an at+jwt header naming the key', async () => {
    const token = await signAccessToken(keyEnv, SUBJECT, NOW);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', kid: key.kid, typ: 'at+jwt' });
    const claims = await verifyAccessToken(keyEnv, token, NOW);
    const iat = Math.floor(NOW / 1000);
    expect(claims).toEqual({ ...SUBJECT, iss: ISS, aud: ISS, jti: expect.any(String), iat, exp: iat + 900 });
  });

  it('gives every token its own jti', async () => {
    const [a, b] = await Promise.all([signAccessToken(keyEnv, SUBJECT, NOW), signAccessToken(keyEnv, SUBJECT, NOW)]);
    const [ca, cb] = await Promise.all([verifyAccessToken(keyEnv, a, NOW), verifyAccessToken(keyEnv, b, NOW)]);
    expect(ca.jti).not.toBe(cb.jti);
  });

  it('uses TTL_ACCESS_TOKEN and JWT_AUDIENCE from the environment', async () => {
    const e = { ...keyEnv, TTL_ACCESS_TOKEN: '60', JWT_AUDIENCE: 'https://api.example.com' };
    const claims = await verifyAccessToken(e, await signAccessToken(e, SUBJECT, NOW), NOW);
    expect(claims.aud).toBe('https://api.example.com');
    expect(claims.exp - claims.iat).toBe(60);
    await expectRejected(await signAccessToken(keyEnv, SUBJECT, NOW), e);
  });

  it('accepts a hand-built token with good claims (so the rejections below are about the one fault)', async () => {
    await expect(verifyAccessToken(keyEnv, await forge({}, goodClaims()), NOW)).resolves.toMatchObject({ sub: 'user-1' });
  });

  it('works with ES256 keys too', async () => {
    const es = await makeKey('ES256');
    const e = withKeys(es);
    const token = await signAccessToken(e, SUBJECT, NOW);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: es.kid, typ: 'at+jwt' });
    await expect(verifyAccessToken(e, token, NOW)).resolves.toMatchObject(SUBJECT);
  });
});

describe('verifyAccessToken refuses', () => {
  it('alg none, with or without a signature', async () => {
    const header = { alg: 'none', kid: key.kid, typ: 'at+jwt' };
    await expectRejected(unsigned(header, goodClaims()));
    await expectRejected(unsigned(header, goodClaims(), 'AAAA'));
    await expectRejected(unsigned({ ...header, alg: 'None' }, goodClaims(), 'AAAA'));
  });

  it('HS256 signed with the public key as the secret', async () => {
    const raw = base64url.decode(key.publicJwk.x!);
    await expectRejected(await forge({ alg: 'HS256' }, goodClaims(), raw));
    await expectRejected(await forge({ alg: 'HS256' }, goodClaims(), new TextEncoder().encode(JSON.stringify(key.publicJwk))));
  });

  it('a tampered payload', async () => {
    const [h, , s] = (await signAccessToken(keyEnv, SUBJECT, NOW)).split('.');
    const payload = base64url.encode(JSON.stringify({ ...goodClaims(), role: 'admin' }));
    await expectRejected(`${h}.${payload}.${s}`);
  });

  it('a token signed by a key we do not hold, even under our kid', async () => {
    const stranger = await makeKey();
    await expectRejected(await forge({}, goodClaims(), stranger.privateKey));
  });

  it('a wrong or missing typ', async () => {
    await expectRejected(await forge({ typ: 'JWT' }, goodClaims()));
    await expectRejected(await forge({ typ: 'at+jwt+x' }, goodClaims()));
    await expectRejected(await forge({ typ: undefined }, goodClaims()));
  });

  it('a wrong issuer or audience', async () => {
    await expectRejected(await forge({}, { ...goodClaims(), iss: 'https://evil.example' }));
    await expectRejected(await forge({}, { ...goodClaims(), aud: 'https://other.example' }));
    await expectRejected(await forge({}, { ...goodClaims(), aud: ['https://other.example'] }));
  });

  it('an expired token, but not one still inside its lifetime', async () => {
    const token = await signAccessToken(keyEnv, SUBJECT, NOW);
    await expect(verifyAccessToken(keyEnv, token, NOW + 899_000)).resolves.toBeTruthy();
    await expectRejected(token, keyEnv, NOW + 900_000 + 31_000);
    await expectRejected(token, keyEnv, NOW + 24 * 3600_000);
  });

  it('a token not valid yet: nbf or iat in the future beyond the skew', async () => {
    const iat = Math.floor(NOW / 1000);
    await expectRejected(await forge({}, { ...goodClaims(), nbf: iat + 120 }));
    await expectRejected(await signAccessToken(keyEnv, SUBJECT, NOW + 120_000));
    // Within the 30 s skew a slightly fast clock elsewhere is tolerated.
    await expect(verifyAccessToken(keyEnv, await signAccessToken(keyEnv, SUBJECT, NOW + 10_000), NOW)).resolves.toBeTruthy();
  });

  it('a token missing exp, sub, sid or any other claim we issue', async () => {
    for (const claim of ['exp', 'sub', 'sid', 'iat', 'jti', 'iss', 'aud', 'role', 'email_verified']) {
      const claims = goodClaims();
      delete claims[claim];
      await expectRejected(await forge({}, claims));
    }
    await expectRejected(await forge({}, { ...goodClaims(), sub: '' }));
    await expectRejected(await forge({}, { ...goodClaims(), role: 'root' }));
    await expectRejected(await forge({}, { ...goodClaims(), email_verified: 'yes' }));
  });

  it('garbage of every kind without throwing anything but unauthorized', async () => {
    const garbage = ['', 'abc', 'a.b.c', '..', 'a.b', 'a.b.c.d', 'eyJhbGciOiJFZERTQSJ9.e30.', '€.€.€', '{"alg":"none"}', ' ', 'Bearer x'];
    for (const token of garbage) await expectRejected(token);
    await expectRejected(unsigned({ alg: 'EdDSA' } as never, goodClaims(), 'AAAA').replace(/^[^.]+/, 'bm90LWpzb24'));
    await expectRejected(`${base64url.encode('[1,2]')}.${base64url.encode('{}')}.AAAA`);
    await expectRejected(undefined);
    await expectRejected(null);
    await expectRejected(42);
    await expectRejected({ toString: () => 'x' });
  });

  it('garbage, unknown and oversized kids (never a 500)', async () => {
    for (const kid of ['nope', 'x'.repeat(129), '../../etc/passwd', 'a b', 42, { a: 1 }, ['k'], null, '', '__proto__', 'constructor']) {
      await expectRejected(await forge({ kid }, goodClaims()));
    }
    await expectRejected(await forge({ kid: undefined }, goodClaims()));
  });

  it('oversized tokens, even validly signed', async () => {
    const big = await forge({}, { ...goodClaims(), pad: 'x'.repeat(8 * 1024) });
    await expectRejected(big);
    await expectRejected(await forge({ kid: 'k'.repeat(10_000) }, goodClaims()));
    await expectRejected('a'.repeat(1_000_000));
  });

  it('embedded keys or key URLs (jwk, jku, x5u, x5c) and crit, even when signed with our key', async () => {
    const stranger = await makeKey();
    // The classic attack: sign with your own key and ship its public half in the header.
    await expectRejected(await forge({ kid: undefined, jwk: stranger.publicJwk }, goodClaims(), stranger.privateKey));
    await expectRejected(await forge({ jwk: stranger.publicJwk }, goodClaims(), stranger.privateKey));
    await expectRejected(await forge({ jwk: key.publicJwk }, goodClaims()));
    await expectRejected(await forge({ jku: 'https://evil.example/jwks.json' }, goodClaims()));
    await expectRejected(await forge({ x5u: 'https://evil.example/cert.pem' }, goodClaims()));
    await expectRejected(await forge({ x5c: ['MIIB'] }, goodClaims()));
    await expectRejected(unsigned({ alg: 'EdDSA', kid: key.kid, typ: 'at+jwt', crit: ['exp'] }, goodClaims(), 'AAAA'));
  });

  it('a header alg that does not match the key named by kid', async () => {
    const es = await makeKey('ES256');
    const both = withKeys(key, es);
    // ES256 signature, but claiming to be EdDSA, and the reverse.
    await expectRejected(await forge({ alg: 'EdDSA', kid: es.kid }, goodClaims(), es.privateKey).catch(() => 'x.y.z'), both);
    await expectRejected(await forge({ alg: 'ES256', kid: key.kid }, goodClaims(), es.privateKey), both);
  });
});

describe('verified tokens, kept per isolate', () => {
  it('serves a token verified once from memory (the same frozen claims)', async () => {
    const token = await signAccessToken(keyEnv, SUBJECT, NOW);
    const first = await verifyAccessToken(keyEnv, token, NOW);
    expect(await verifyAccessToken(keyEnv, token, NOW + 1000)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('still refuses it once expired, or before its iat, as jose would', async () => {
    const token = await signAccessToken(keyEnv, SUBJECT, NOW);
    await verifyAccessToken(keyEnv, token, NOW);
    // Lifetime 900 s, tolerance 30 s.
    expect((await verifyAccessToken(keyEnv, token, NOW + (900 + 29) * 1000)).sub).toBe('user-1');
    await expectRejected(token, keyEnv, NOW + (900 + 30) * 1000);
    await expectRejected(token, keyEnv, NOW - 31_000);
    expect((await verifyAccessToken(keyEnv, token, NOW - 30_000)).sub).toBe('user-1');
  });

  it('stops a token at once when its key leaves JWT_PRIVATE_JWKS', async () => {
    const other = await makeKey();
    const token = await signAccessToken(withKeys(key, other), SUBJECT, NOW);
    expect((await verifyAccessToken(withKeys(key, other), token, NOW)).sub).toBe('user-1');
    await expectRejected(token, withKeys(other), NOW);
  });

  it('judges times exactly as jose does (random nbf, iat, exp and clocks)', async () => {
    const rules = (nowSec: number) => ({ nowSec, toleranceSec: CLOCK_SKEW_SEC, maxAgeSec: 900 });
    const base = Math.floor(NOW / 1000);
    const pick = () => base + Math.floor(Math.random() * 2000) - 1000;
    const publicKey = await importJWK(key.publicJwk, 'EdDSA');
    const seen = new Set<unknown>();
    for (let i = 0; i < 300; i++) {
      const times = { iat: pick(), exp: pick(), nbf: Math.random() < 0.5 ? undefined : pick() };
      const nowSec = pick();
      const token = await forge({}, { ...goodClaims(), ...times });
      const joseSays = await jwtVerify(token, publicKey, { currentDate: new Date(nowSec * 1000), clockTolerance: CLOCK_SKEW_SEC, maxTokenAge: 900 })
        .then(() => true)
        .catch((err: Error) => (err.name === 'TypeError' ? err : false));
      expect(timesHold(times, rules(nowSec)), JSON.stringify({ ...times, nowSec })).toBe(joseSays);
      seen.add(joseSays);
    }
    expect(seen).toEqual(new Set([true, false]));
  });

  it('holds at most VERIFIED_TOKENS_LIMIT tokens, dropping the oldest', async () => {
    const cache: VerifiedTokens = new Map();
    const entry = { claims: { ...SUBJECT, jti: 'j' } as never, keys: {} as never, context: 'c', iat: 0, exp: 0, nbf: undefined };
    for (let i = 0; i <= VERIFIED_TOKENS_LIMIT; i++) rememberVerified(`t${i}`, entry, cache);
    expect(cache.size).toBe(VERIFIED_TOKENS_LIMIT);
    expect(cache.has('t0')).toBe(false);
    expect(cache.has(`t${VERIFIED_TOKENS_LIMIT}`)).toBe(true);
  });
});
