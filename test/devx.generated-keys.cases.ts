import { env } from 'cloudflare:workers';
import { createExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import type { Env } from '../src/env';
import { getConfig, missingSecrets } from '../src/config/config';
import { getKeySet } from '../src/tokens/keys';
import { decryptSecret, encryptSecret } from '../src/mfa/secret-box';
import { auditTargetHash } from '../src/audit/identifier-hash';
import { generateSecrets, rotateJwks, secretPutLines, shellQuote } from '../scripts/secrets';

/** Production as deployed: wrangler.toml's [env.production] vars plus what `npm run keys` printed. */
function productionEnv(secrets: Record<string, string>): Env {
  return {
    ...env,
    ENVIRONMENT: 'production',
    PUBLIC_URL: 'https://accounts.example.com',
    MAIL_FROM: 'Gatehouse <no-reply@example.com>',
    MAIL_TRANSPORT: 'cloudflare',
    MAILER: { send: async () => undefined } as unknown as SendEmail,
    ...secrets,
  } as Env;
}

async function get(workerEnv: Env, path: string) {
  const res = await worker.fetch(new Request(`https://accounts.example.com${path}`), workerEnv, createExecutionContext());
  return { status: res.status, body: (await res.json()) as any };
}

describe('npm run keys', () => {
  it('generates secrets production accepts: it serves, signs, encrypts and hashes with them', async () => {
    const secrets = await generateSecrets();
    const prod = productionEnv({ ...secrets });
    expect(missingSecrets(prod, getConfig(prod))).toEqual([]);
    expect(await get(prod, '/health')).toEqual({ status: 200, body: { status: 'ok' } });

    const keys = await getKeySet(prod, Date.now());
    const kid = JSON.parse(secrets.JWT_PRIVATE_JWKS).keys[0].kid;
    expect(keys.signing).toMatchObject({ kid, alg: 'EdDSA' });
    const jwks = await get(prod, '/.well-known/jwks.json');
    expect(jwks.body.keys.map((k: { kid: string }) => k.kid)).toEqual([kid]);
    expect(JSON.stringify(jwks.body)).not.toContain('"d"');

    const sealed = await encryptSecret(prod, 'user-1', new Uint8Array([1, 2, 3]));
    expect(await decryptSecret(prod, 'user-1', sealed)).toEqual(new Uint8Array([1, 2, 3]));
    expect(await auditTargetHash(prod, 'email', 'a@example.com')).toMatch(/^[0-9a-f]+$/);
  });

  it('makes different keys each run', async () => {
    const [a, b] = await Promise.all([generateSecrets(), generateSecrets()]);
    expect(a.JWT_PRIVATE_JWKS).not.toBe(b.JWT_PRIVATE_JWKS);
    expect(a.MFA_ENCRYPTION_KEY).not.toBe(b.MFA_ENCRYPTION_KEY);
    expect(a.AUDIT_HASH_KEY).not.toBe(b.AUDIT_HASH_KEY);
  });

  it('rotates: the new key signs, the previous one still verifies, older ones drop', async () => {
    const first = await generateSecrets();
    const second = await rotateJwks(first.JWT_PRIVATE_JWKS);
    const third = await rotateJwks(second);
    const kids = (text: string) => (JSON.parse(text).keys as { kid: string }[]).map((k) => k.kid);
    expect(kids(second).slice(1)).toEqual(kids(first.JWT_PRIVATE_JWKS));
    expect(kids(third)).toEqual([kids(third)[0], kids(second)[0]]);
    const prod = productionEnv({ ...first, JWT_PRIVATE_JWKS: third });
    const keys = await getKeySet(prod, Date.now());
    expect(keys.signing.kid).toBe(kids(third)[0]);
    expect([...keys.verify.keys()]).toEqual(kids(third));
    await expect(rotateJwks('{"keys":[{"kid":"public-only","x":"abc"}]}')).rejects.toThrow(/private keys/);
    await expect(rotateJwks('not json')).rejects.toThrow(/not valid JSON/);
  });

  it('prints wrangler secret put lines that quote the value for the shell', () => {
    expect(secretPutLines({ MFA_ENCRYPTION_KEY: "ab'c" })).toEqual([`printf '%s' 'ab'\\''c' | npx wrangler secret put MFA_ENCRYPTION_KEY --env production`]);
    expect(shellQuote('{"keys":[]}')).toBe(`'{"keys":[]}'`);
    expect(secretPutLines({ AUDIT_HASH_KEY: 'x' }, '')).toEqual([`printf '%s' 'x' | npx wrangler secret put AUDIT_HASH_KEY`]);
  });
});
