import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/crypto/hash';
import { ConfigError } from '../src/config/config';
import { auditTargetHash } from '../src/audit/identifier-hash';
import type { Env } from '../src/env';
import { randomIp, uniqueEmail } from './helpers/api';
import { callWorker } from './otp.helpers';

const KEY_A = 'audit-key-a-0123456789abcdefghijklmnopqrstuvwxyz';
const KEY_B = 'audit-key-b-0123456789abcdefghijklmnopqrstuvwxyz';

/** Fails one login for `email` and returns the target its login_failed event names. */
async function failedLoginTarget(email: string, auditKey?: string): Promise<string> {
  const ip = randomIp();
  const res = await callWorker('/api/v1/auth/login', { body: { email, password: 'Wrong-Guess-Again-7' }, ip, env: auditKey ? { AUDIT_HASH_KEY: auditKey } : {} });
  expect(res.status).toBe(401);
  const row = await env.DB.prepare("SELECT metadata FROM audit_events WHERE type = 'login_failed' AND ip = ? ORDER BY created_at DESC LIMIT 1")
    .bind(ip)
    .first<{ metadata: string }>();
  const target = JSON.parse(row!.metadata).target as string;
  expect(target).toMatch(/^[0-9a-f]{32}$/);
  return target;
}

describe('identifier hashes in audit metadata', () => {
  it('are not the plain SHA-256 of the identifier (nor a prefix of it)', async () => {
    const email = uniqueEmail('typed.password');
    const target = await failedLoginTarget(email);
    const plain = await sha256Hex(`email:${email}`);
    expect(plain.startsWith(target.slice(0, 16))).toBe(false);
    expect(target).not.toBe(plain.slice(0, 32));
  });

  it('are stable under one key: the same identifier names the same target, another one another', async () => {
    const email = uniqueEmail('stable');
    const first = await failedLoginTarget(email, KEY_A);
    expect(await failedLoginTarget(email, KEY_A)).toBe(first);
    expect(await failedLoginTarget(uniqueEmail('other'), KEY_A)).not.toBe(first);
  });

  it('differ under two keys', async () => {
    const email = uniqueEmail('rekeyed');
    expect(await failedLoginTarget(email, KEY_A)).not.toBe(await failedLoginTarget(email, KEY_B));
  });

  it('refuse a short key', async () => {
    await expect(auditTargetHash({ ...env, AUDIT_HASH_KEY: 'short' } as Env, 'email', 'a@example.com')).rejects.toBeInstanceOf(ConfigError);
  });
});
