import { env } from 'cloudflare:workers';
import { SignJWT, base64url, exportJWK, generateKeyPair, type JWTPayload } from 'jose';
import { getKeySet } from '../../src/tokens/keys';

export interface HostileToken {
  name: string;
  token: string;
}

const b64 = (value: unknown) => base64url.encode(typeof value === 'string' ? value : JSON.stringify(value));
const parts = (token: string) => token.split('.') as [string, string, string];
const claimsOf = (token: string) => JSON.parse(new TextDecoder().decode(base64url.decode(parts(token)[1]))) as JWTPayload;

/**
 * Access tokens an attacker could present, none of which may ever be accepted: alg none,
 * algorithm confusion, foreign keys (by kid, embedded, by URL), tampered payloads, and
 * tokens signed with our own key whose claims are wrong (type, issuer, audience, times,
 * claim types), so every check of the verifier is exercised.
 */
export async function hostileTokens(real: { access: string; refresh: string; adminId: string }): Promise<HostileToken[]> {
  const now = Date.now();
  const nowSec = Math.floor(now / 1000);
  const keys = await getKeySet(env, now);
  const { kid } = keys.signing;
  const claims = claimsOf(real.access);
  const escalated = { ...claims, sub: real.adminId, role: 'admin' };
  const [h, p, s] = parts(real.access);

  const attacker = await generateKeyPair('EdDSA', { extractable: true });
  const attackerEs = await generateKeyPair('ES256', { extractable: true });
  const attackerJwk = await exportJWK(attacker.publicKey);
  const publicJwk = keys.jwks.keys[0]!;

  const signed = (payload: JWTPayload, header: Record<string, unknown>, key: CryptoKey | Uint8Array) =>
    new SignJWT(payload).setProtectedHeader(header as never).sign(key);
  // Signed by hand: jose will not produce some of these (e.g. a crit header it does not know).
  const ours = async (payload: JWTPayload, header: Record<string, unknown> = {}) => {
    const input = `${b64({ alg: keys.signing.alg, kid, typ: 'at+jwt', ...header })}.${b64(payload)}`;
    const { key } = keys.signing;
    const algorithm = key.algorithm.name === 'ECDSA' ? { name: 'ECDSA', hash: 'SHA-256' } : key.algorithm;
    const signature = new Uint8Array(await crypto.subtle.sign(algorithm, key, new TextEncoder().encode(input)));
    return `${input}.${base64url.encode(signature)}`;
  };

  const list: [string, string | Promise<string>][] = [
    ['alg none, empty signature', `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${b64(escalated)}.`],
    ['alg none, some signature', `${b64({ alg: 'none', typ: 'at+jwt', kid })}.${b64(escalated)}.${s}`],
    ['alg None', `${b64({ alg: 'None', typ: 'at+jwt', kid })}.${b64(escalated)}.AA`],
    ['alg confusion: HS256 keyed with the public x', signed(escalated, { alg: 'HS256', typ: 'at+jwt', kid }, base64url.decode(publicJwk.x))],
    ['alg confusion: HS256 keyed with the public JWK', signed(escalated, { alg: 'HS256', typ: 'at+jwt', kid }, new TextEncoder().encode(JSON.stringify(publicJwk)))],
    ['foreign EdDSA key under our kid', signed(escalated, { alg: 'EdDSA', typ: 'at+jwt', kid }, attacker.privateKey)],
    ['foreign ES256 key under our kid', signed(escalated, { alg: 'ES256', typ: 'at+jwt', kid }, attackerEs.privateKey)],
    ['foreign key embedded as jwk', signed(escalated, { alg: 'EdDSA', typ: 'at+jwt', kid, jwk: attackerJwk }, attacker.privateKey)],
    ['foreign key by jku', signed(escalated, { alg: 'EdDSA', typ: 'at+jwt', kid, jku: 'https://evil.example/jwks.json' }, attacker.privateKey)],
    ['kid path traversal', signed(escalated, { alg: 'EdDSA', typ: 'at+jwt', kid: '../../../../dev/null' }, attacker.privateKey)],
    ['kid injection', signed(escalated, { alg: 'EdDSA', typ: 'at+jwt', kid: "' OR '1'='1" }, attacker.privateKey)],
    ['payload swapped under a real signature', `${h}.${b64(escalated)}.${s}`],
    ['header swapped under a real signature', `${b64({ alg: 'EdDSA', typ: 'at+jwt', kid: 'other' })}.${p}.${s}`],
    ['signature truncated', `${h}.${p}.${s.slice(0, -4)}`],
    ['signature of another token', `${h}.${p}.${parts(real.refresh)[2]}`],
    ['refresh token as access token', real.refresh],
    ['our key, typ JWT', ours(claims, { typ: 'JWT' })],
    ['our key, typ rt+jwt', ours(claims, { typ: 'rt+jwt' })],
    ['our key, crit header', ours(claims, { crit: ['exp'] })],
    ['our key, foreign issuer', ours({ ...claims, iss: 'https://evil.example' })],
    ['our key, foreign audience', ours({ ...claims, aud: 'https://evil.example' })],
    ['our key, expired', ours({ ...claims, iat: nowSec - 7200, exp: nowSec - 3600 })],
    ['our key, issued in the future', ours({ ...claims, iat: nowSec + 3600, exp: nowSec + 4500 })],
    ['our key, not yet valid', ours({ ...claims, nbf: nowSec + 3600 })],
    ['our key, no sid', ours({ ...claims, sid: undefined })],
    ['our key, empty sub', ours({ ...claims, sub: '' })],
    ['our key, numeric sub', ours({ ...claims, sub: 42 as never })],
    ['our key, unknown role', ours({ ...claims, role: 'superadmin' })],
    ['our key, role as array', ours({ ...claims, role: ['admin'] as never })],
    ['our key, email_verified as string', ours({ ...claims, email_verified: 'true' as never })],
    ['our key, exp as string', ours({ ...claims, exp: String(nowSec + 600) as never })],
    ['four parts', `${real.access}.AAAA`],
    ['two parts', `${h}.${p}`],
    ['base64 instead of base64url', `${h}.${p}.${s.replace(/-/g, '+').replace(/_/g, '/')}==`],
    ['9 KiB of token characters', `${'a'.repeat(3_000)}.${'b'.repeat(3_000)}.${'c'.repeat(3_000)}`],
    ['100 KiB of token characters', `${'a'.repeat(34_000)}.${'b'.repeat(34_000)}.${'c'.repeat(34_000)}`],
  ];
  return Promise.all(list.map(async ([name, token]) => ({ name, token: await token })));
}

/** Authorization header values that are not a bearer token of ours at all. */
export const HOSTILE_AUTHORIZATION = [
  '',
  'Bearer',
  'Bearer ',
  'Bearer    ',
  'bearer x.y.z',
  'Basic YWRtaW46YWRtaW4=',
  'Token abc',
  'Bearer a.b.c',
  'Bearer ...',
  'Bearer x.y.z, Bearer a.b.c',
  'Bearer\tx.y.z',
  'Bearer "x.y.z"',
  'Bearer %ff%fe.%00.%ff',
  `Bearer ${'A'.repeat(200_000)}`,
  `Bearer ${'a.'.repeat(50_000)}a`,
  `Bearer ${'='.repeat(10_000)}`,
  `${'Bearer '.repeat(5_000)}x.y.z`,
];
