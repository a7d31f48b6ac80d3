import { env } from 'cloudflare:workers';
import { describe, expect, it, vi } from 'vitest';
import { decodeProtectedHeader, exportJWK, generateKeyPair, type JWK } from 'jose';
import { jwksRoutes, signAccessToken, verifyAccessToken } from '../src/tokens';
import { ApiError } from '../src/http/errors';
import { getConfig, missingSecrets } from '../src/config/config';
import { createApp } from '../src/app';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const SUBJECT = { sub: 'user-1', sid: 'session-1', role: 'admin', email_verified: false } as const;

async function makeJwk(kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'EdDSA' };
}
const withJwks = (...keys: JWK[]) => ({ ...env, JWT_PRIVATE_JWKS: JSON.stringify({ keys }) });

const oldKey = await makeJwk('2025-old');
const newKey = await makeJwk('2026-new');

describe('key rotation', () => {
  it('keeps tokens of the previous key valid while new tokens use the new kid', async () => {
    const before = withJwks(oldKey);
    const during = withJwks(newKey, oldKey);
    const oldToken = await signAccessToken(before, SUBJECT, NOW);
    expect(decodeProtectedHeader(oldToken).kid).toBe('2025-old');

    await expect(verifyAccessToken(during, oldToken, NOW)).resolves.toMatchObject(SUBJECT);
    const newToken = await signAccessToken(during, SUBJECT, NOW);
    expect(decodeProtectedHeader(newToken).kid).toBe('2026-new');
    await expect(verifyAccessToken(during, newToken, NOW)).resolves.toMatchObject(SUBJECT);

    // Once the old key is dropped from the secret, its tokens stop verifying.
    const after = withJwks(newKey);
    await expect(verifyAccessToken(after, oldToken, NOW)).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(verifyAccessToken(after, newToken, NOW)).resolves.toBeTruthy();
  });

  it('publishes current then previous public keys', async () => {
    const res = await jwksRoutes.request('/', {}, withJwks(newKey, oldKey));
    const body = (await res.json()) as { keys: JWK[] };
    expect(body.keys.map((k) => k.kid)).toEqual(['2026-new', '2025-old']);
    expect(body.keys.every((k) => k.d === undefined)).toBe(true);
  });
});

describe('a bad JWT_PRIVATE_JWKS', () => {
  const ed = oldKey;
  const other = newKey;
  // Each case: the secret, and the reason the server log must give for it.
  const cases: Record<string, [secret: string, reason: RegExp]> = {
    'not JSON': ['{"keys": [', /not valid JSON/],
    'no keys member': [JSON.stringify([ed]), /must look like \{"keys"/],
    'an empty list': [JSON.stringify({ keys: [] }), /at least one key/],
    'a public key only': [JSON.stringify({ keys: [{ ...ed, d: undefined }] }), /keys\[0\]: "d" is missing/],
    'no kid': [JSON.stringify({ keys: [{ ...ed, kid: undefined }] }), /"kid" must be/],
    'a kid with spaces': [JSON.stringify({ keys: [{ ...ed, kid: 'my key' }] }), /"kid" must be/],
    'no alg': [JSON.stringify({ keys: [{ ...ed, alg: undefined }] }), /"alg" must be "EdDSA" or "ES256"/],
    'a symmetric alg': [JSON.stringify({ keys: [{ ...ed, alg: 'HS256' }] }), /"alg" must be "EdDSA" or "ES256"/],
    'alg and curve disagreeing': [JSON.stringify({ keys: [{ ...ed, alg: 'ES256' }] }), /needs "kty" EC and "crv" P-256/],
    'use enc': [JSON.stringify({ keys: [{ ...ed, use: 'enc' }] }), /"use" must be "sig"/],
    'two keys with one kid': [JSON.stringify({ keys: [ed, { ...other, kid: ed.kid }] }), /same "kid"/],
    'a d from another key': [JSON.stringify({ keys: [{ ...ed, d: other.d }] }), /does not match its public key/],
    'a short x': [JSON.stringify({ keys: [{ ...ed, x: 'AAAA' }] }), /keys\[0\]: the public key .* not a valid Ed25519 point/],
    'a broken previous key': [JSON.stringify({ keys: [ed, { ...other, x: 'AAAA' }] }), /keys\[1\]: the public key/],
  };

  for (const [what, [secret, reason]] of Object.entries(cases)) {
    it(`is a 503 naming the setting, not a crash: ${what}`, async () => {
      const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
      const e = { ...env, JWT_PRIVATE_JWKS: secret };
      const err = await signAccessToken(e, SUBJECT, NOW).catch((error: unknown) => error);
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toMatchObject({ code: 'service_unavailable' });
      expect((err as ApiError).message).toContain('JWT_PRIVATE_JWKS');
      // Verification with broken keys is our fault, not the client's: not a 401.
      await expect(verifyAccessToken(e, 'a.b.c', NOW)).rejects.toMatchObject({ code: 'service_unavailable' });
      const lines = logged.mock.calls.map((args) => String(args[0]));
      logged.mockRestore();
      const reasons = lines.map((line) => (JSON.parse(line) as { reason?: string }).reason ?? '');
      expect(reasons.some((r) => reason.test(r)), reasons.join(' | ')).toBe(true);
      expect(lines.join('\n')).not.toContain(ed.d!);
    });
  }

  it('answers the HTTP client with the error shape and no secret or stack', async () => {
    const e = { ...env, JWT_PRIVATE_JWKS: JSON.stringify({ keys: [{ ...oldKey, alg: 'HS256' }] }) };
    const res = await createApp().request('/.well-known/jwks.json', {}, e);
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code: 'service_unavailable' } });
    expect(text).not.toContain(oldKey.d!);
    expect(text).not.toContain('    at ');
  });

  it('is picked up once fixed, without a restart', async () => {
    const broken = { ...env, JWT_PRIVATE_JWKS: '{' };
    await expect(signAccessToken(broken, SUBJECT, NOW)).rejects.toMatchObject({ code: 'service_unavailable' });
    const fixed = withJwks(oldKey);
    await expect(signAccessToken(fixed, SUBJECT, NOW)).resolves.toBeTypeOf('string');
  });
});

describe('outside development', () => {
  const production = { ...env, ENVIRONMENT: 'production', MAIL_TRANSPORT: 'cloudflare' };

  it('lists JWT_PRIVATE_JWKS as a missing secret until it is set', () => {
    expect(missingSecrets(production, getConfig(production))).toContain('JWT_PRIVATE_JWKS');
    const withSecret = { ...production, JWT_PRIVATE_JWKS: '{"keys":[]}' };
    expect(missingSecrets(withSecret, getConfig(withSecret))).not.toContain('JWT_PRIVATE_JWKS');
    expect(missingSecrets(env, getConfig(env))).toEqual([]);
  });

  it('never falls back to a generated key', async () => {
    // Counted before and after: other cases of this group may have made the dev key already.
    const keys = async () => (await env.DB.prepare('SELECT count(*) AS n FROM dev_signing_keys').first<{ n: number }>())?.n;
    const before = await keys();
    await expect(signAccessToken(production, SUBJECT, NOW)).rejects.toMatchObject({ code: 'service_unavailable' });
    expect(await keys()).toBe(before);
  });
});
