import { env } from 'cloudflare:workers';
import { createExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../src/index';
import type { Env } from '../src/env';
import { ConfigError, getConfig, missingSecrets } from '../src/config/config';
import { decryptSecret, encryptSecret } from '../src/mfa/secret-box';
import { classifyCode, generateRecoveryCodes, hashRecoveryCode, normalizeRecoveryCode, RECOVERY_CODE_COUNT } from '../src/mfa/recovery-codes';

const secret = () => crypto.getRandomValues(new Uint8Array(20));
const keyOf = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
/** A fresh env object (config and keys are cached per env object). */
const envWith = (vars: Partial<Env>): Env => ({ ...env, ...vars });

describe('TOTP secrets at rest (AES-GCM)', () => {
  it('round-trips, with a fresh IV each time, and never shows the secret', async () => {
    const plain = secret();
    const a = await encryptSecret(env, 'user-1', plain);
    const b = await encryptSecret(env, 'user-1', plain);
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(await decryptSecret(env, 'user-1', a)).toEqual(plain);
    expect(a).not.toContain(btoa(String.fromCharCode(...plain)).slice(0, 12));
  });

  it('is bound to the user: another user’s row does not decrypt', async () => {
    const sealed = await encryptSecret(env, 'user-1', secret());
    expect(await decryptSecret(env, 'user-2', sealed)).toBeNull();
  });

  it('refuses a tampered or malformed ciphertext', async () => {
    const sealed = await encryptSecret(env, 'user-1', secret());
    const [v, iv, body] = sealed.split('.') as [string, string, string];
    const flipped = body.slice(0, 5) + (body[5] === 'A' ? 'B' : 'A') + body.slice(6);
    expect(await decryptSecret(env, 'user-1', `${v}.${iv}.${flipped}`)).toBeNull();
    expect(await decryptSecret(env, 'user-1', `v2.${iv}.${body}`)).toBeNull();
    expect(await decryptSecret(env, 'user-1', 'garbage')).toBeNull();
  });

  it('uses MFA_ENCRYPTION_KEY when set: what the development key sealed does not open under it', async () => {
    const configured = envWith({ MFA_ENCRYPTION_KEY: keyOf(crypto.getRandomValues(new Uint8Array(32))) });
    const plain = secret();
    const sealed = await encryptSecret(configured, 'user-1', plain);
    expect(await decryptSecret(configured, 'user-1', sealed)).toEqual(plain);
    expect(await decryptSecret(env, 'user-1', sealed)).toBeNull();
    expect(await decryptSecret(configured, 'user-1', await encryptSecret(env, 'user-1', plain))).toBeNull();
  });

  it('accepts the key in URL-safe base64 too', async () => {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    const standard = envWith({ MFA_ENCRYPTION_KEY: keyOf(bytes) });
    const urlSafe = envWith({ MFA_ENCRYPTION_KEY: keyOf(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') });
    const plain = secret();
    expect(await decryptSecret(urlSafe, 'u', await encryptSecret(standard, 'u', plain))).toEqual(plain);
  });

  it('refuses a key that is not 32 bytes of base64 with a ConfigError', async () => {
    for (const bad of ['short', keyOf(new Uint8Array(16)), 'not base64 at all!!'.repeat(3)]) {
      await expect(encryptSecret(envWith({ MFA_ENCRYPTION_KEY: bad }), 'u', secret())).rejects.toBeInstanceOf(ConfigError);
    }
  });

  it('outside development there is no fallback key', async () => {
    const production = envWith({ ENVIRONMENT: 'production', MFA_ENCRYPTION_KEY: undefined });
    await expect(encryptSecret(production, 'u', secret())).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('MFA_ENCRYPTION_KEY in production config', () => {
  it('is a missing secret in production, and not in development', () => {
    const production = envWith({ ENVIRONMENT: 'production', MFA_ENCRYPTION_KEY: undefined });
    expect(missingSecrets(production, getConfig(production))).toContain('MFA_ENCRYPTION_KEY');
    const configured = envWith({ ENVIRONMENT: 'production', MFA_ENCRYPTION_KEY: keyOf(new Uint8Array(32)) });
    expect(missingSecrets(configured, getConfig(configured))).not.toContain('MFA_ENCRYPTION_KEY');
    expect(missingSecrets(env, getConfig(env))).toEqual([]);
  });

  it('production without it answers 503 naming it', async () => {
    const production = envWith({ ENVIRONMENT: 'production', MAIL_TRANSPORT: 'cloudflare', JWT_PRIVATE_JWKS: '{"keys":[]}', MFA_ENCRYPTION_KEY: undefined });
    // /health says only "misconfigured"; the other routes name what is missing.
    const res = await worker.fetch(new Request('https://gatehouse.test/.well-known/jwks.json'), production, createExecutionContext());
    expect(res.status).toBe(503);
    expect(JSON.stringify(await res.json())).toContain('MFA_ENCRYPTION_KEY');
  });
});

describe('recovery codes', () => {
  it('are ten distinct codes of 80 bits, written abcd-efgh-ijkl-mnop', () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
  });

  it('are compared without dashes, spaces or case, and hashed per user', async () => {
    const [code] = generateRecoveryCodes() as [string];
    const plain = normalizeRecoveryCode(code)!;
    expect(normalizeRecoveryCode(code.toUpperCase().replace(/-/g, ' '))).toBe(plain);
    expect(normalizeRecoveryCode('abcd-efgh-ijkl-mno1')).toBeNull();
    expect(await hashRecoveryCode('u1', plain)).not.toBe(await hashRecoveryCode('u2', plain));
    expect(await hashRecoveryCode('u1', plain)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('six digits (spaces allowed) are a TOTP code, anything recovery-shaped a recovery code, the rest neither', () => {
    expect(classifyCode('123 456')).toEqual({ kind: 'totp', code: '123456' });
    expect(classifyCode('ABCD-EFGH-IJKL-MNOP')).toEqual({ kind: 'recovery', code: 'abcdefghijklmnop' });
    expect(classifyCode('12345')).toBeNull();
    expect(classifyCode('1234567')).toBeNull();
  });
});
