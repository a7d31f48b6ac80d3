import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { decodeProtectedHeader, type JWK } from 'jose';
import { signAccessToken, verifyAccessToken } from '../src/tokens';
import { ensureDevSigningKey } from '../src/tokens/dev-key';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const SUBJECT = { sub: 'user-1', sid: 'session-1', role: 'user', email_verified: true } as const;

async function countKeys(): Promise<number> {
  const row = await env.DB.prepare('SELECT count(*) AS n FROM dev_signing_keys').first<{ n: number }>();
  return row?.n ?? -1;
}

// One file, one D1: these tests run in order on the same table on purpose.
describe('development signing key', () => {
  it('is created once when 10 first requests race (D1 level, no isolate cache in the way)', async () => {
    expect(await countKeys()).toBe(0);
    const keys = await Promise.all(Array.from({ length: 10 }, () => ensureDevSigningKey(env.DB, NOW)));
    expect(await countKeys()).toBe(1);
    expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
    expect(new Set(keys.map((k) => k.d)).size).toBe(1);
    const row = await env.DB.prepare('SELECT kid, created_at FROM dev_signing_keys WHERE slot = ?').bind('current').first<{ kid: string; created_at: number }>();
    expect(row).toEqual({ kid: keys[0]!.kid, created_at: NOW });
  });

  it('signs 10 concurrent tokens with that one key, and all verify', async () => {
    const { kid } = await ensureDevSigningKey(env.DB, NOW);
    const tokens = await Promise.all(Array.from({ length: 10 }, () => signAccessToken(env, SUBJECT, NOW)));
    expect(new Set(tokens.map((t) => decodeProtectedHeader(t).kid))).toEqual(new Set([kid]));
    for (const token of tokens) await expect(verifyAccessToken(env, token, NOW)).resolves.toMatchObject(SUBJECT);
    expect(await countKeys()).toBe(1);
  });

  it('is what the running app publishes', async () => {
    const { kid } = await ensureDevSigningKey(env.DB, NOW);
    const res = await exports.default.fetch('http://x/.well-known/jwks.json');
    const body = (await res.json()) as { keys: JWK[] };
    expect(body.keys.map((k) => k.kid)).toEqual([kid]);
    expect(body.keys[0]).toEqual({ kty: 'OKP', crv: 'Ed25519', x: expect.any(String), kid, alg: 'EdDSA', use: 'sig' });
  });
});
