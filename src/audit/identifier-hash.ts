import type { Env } from '../env';
import { ConfigError, getConfig } from '../config/config';
import { toHex } from '../crypto/hash';

/**
 * Names what someone tried to sign in as, in audit metadata, without keeping it: an
 * HMAC-SHA-256 under AUDIT_HASH_KEY. A plain hash would let anyone with `audit.read`
 * recover a password typed into the identifier field by guessing offline; without the
 * key nothing can be tested. One key gives one value per identifier, so the security
 * analysis still counts distinct targets.
 */
const TARGET_HEX_CHARS = 32;
const MIN_KEY_CHARS = 32;

/**
 * Development needs no setup: it keys with this public constant (derived, like the dev
 * MFA key). Production refuses to serve without the secret (config missingSecrets).
 */
const DEV_KEY_SEED = 'gatehouse development audit hash key; not a secret';

const keys = new Map<string, Promise<CryptoKey>>();
const MAX_CACHED_KEYS = 4;

export async function auditTargetHash(env: Env, kind: string, value: string): Promise<string> {
  const key = await hmacKey(keyText(env));
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${kind}:${value}`));
  return toHex(new Uint8Array(mac)).slice(0, TARGET_HEX_CHARS);
}

function keyText(env: Env): string {
  const configured = env.AUDIT_HASH_KEY?.trim();
  if (configured) {
    if (configured.length < MIN_KEY_CHARS) {
      throw new ConfigError(`AUDIT_HASH_KEY must be at least ${MIN_KEY_CHARS} random characters (e.g. \`openssl rand -base64 32\`)`);
    }
    return configured;
  }
  if (!getConfig(env).isDevelopment) throw new ConfigError('AUDIT_HASH_KEY is not set');
  return DEV_KEY_SEED;
}

// Keyed by the secret's text, so a rotated secret is used by the next request.
function hmacKey(text: string): Promise<CryptoKey> {
  let key = keys.get(text);
  if (!key) {
    if (keys.size >= MAX_CACHED_KEYS) keys.clear();
    key = crypto.subtle.importKey('raw', new TextEncoder().encode(text), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keys.set(text, key);
  }
  return key;
}
