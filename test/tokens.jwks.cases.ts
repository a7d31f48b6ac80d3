import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, type JWK } from 'jose';
import { jwksRoutes, signAccessToken } from '../src/tokens';

const SUBJECT = { sub: 'user-1', sid: 'session-1', role: 'manager', email_verified: true } as const;
const PUBLIC_MEMBERS = ['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y'];

async function fetchJwks(): Promise<{ res: Response; text: string }> {
  const res = await exports.default.fetch('http://x/.well-known/jwks.json');
  return { res, text: await res.text() };
}

describe('GET /.well-known/jwks.json', () => {
  it('publishes public keys only, cacheable for 5 minutes', async () => {
    const { res, text } = await fetchJwks();
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=300');
    expect(res.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    const { keys } = JSON.parse(text) as { keys: JWK[] };
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect(Object.keys(key).every((m) => PUBLIC_MEMBERS.includes(m))).toBe(true);
      expect(key.use).toBe('sig');
    }
    expect(text).not.toMatch(/"(d|p|q|dp|dq|qi|k)"\s*:/);
  });

  it('accepts a trailing slash', async () => {
    const res = await exports.default.fetch('http://x/.well-known/jwks.json/');
    expect(res.status).toBe(200);
  });

  it('lets a standard library verify our tokens from the published keys alone', async () => {
    const token = await signAccessToken(env, SUBJECT, Date.now());
    const jwks = createLocalJWKSet(JSON.parse((await fetchJwks()).text));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer: 'http://localhost:8787',
      audience: 'http://localhost:8787',
      typ: 'at+jwt',
      algorithms: ['EdDSA', 'ES256'],
    });
    expect(payload).toMatchObject(SUBJECT);
    expect(protectedHeader.typ).toBe('at+jwt');
  });

  it('does the same for ES256 keys, publishing y and never d', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: 'ec-1', alg: 'ES256' };
    const e = { ...env, JWT_PRIVATE_JWKS: JSON.stringify({ keys: [jwk] }) };
    const body = (await (await jwksRoutes.request('/', {}, e)).json()) as { keys: JWK[] };
    expect(body.keys).toEqual([{ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid: 'ec-1', alg: 'ES256', use: 'sig' }]);
    const token = await signAccessToken(e, SUBJECT, Date.now());
    await expect(jwtVerify(token, createLocalJWKSet(body), { typ: 'at+jwt', algorithms: ['ES256'] })).resolves.toBeTruthy();
  });
});
