import type { Env } from '../env';
import { ConfigError, getConfig } from '../config/config';

/**
 * TOTP secrets at rest: AES-256-GCM under MFA_ENCRYPTION_KEY, bound to the account
 * (the user id is the additional data, so a ciphertext copied to another user's row
 * does not decrypt). Stored as `v1.<iv>.<ciphertext>` in base64url.
 */
const VERSION = 'v1';
const KEY_BYTES = 32;

/**
 * Development needs no setup: without the secret it uses a key derived from this
 * public constant. Derived, not generated and stored, because a stored key could race
 * (two isolates each generating one) and leave a secret no isolate can decrypt; and
 * development secrets protect nothing. Production refuses to start without the secret
 * (config missingSecrets).
 */
const DEV_KEY_SEED = 'gatehouse development MFA encryption key; not a secret';

const keys = new WeakMap<object, Promise<CryptoKey>>();

export async function encryptSecret(env: Env, userId: string, secret: Uint8Array): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad(userId) }, await boxKey(env), secret);
  return [VERSION, toBase64Url(iv), toBase64Url(new Uint8Array(sealed))].join('.');
}

/** The secret, or null when the ciphertext is damaged, another user's, or under another key. */
export async function decryptSecret(env: Env, userId: string, stored: string): Promise<Uint8Array | null> {
  const [version, iv, sealed, ...rest] = stored.split('.');
  if (version !== VERSION || !iv || !sealed || rest.length > 0) return null;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64Url(iv), additionalData: aad(userId) },
      await boxKey(env),
      fromBase64Url(sealed),
    );
    return new Uint8Array(plain);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    return null;
  }
}

function boxKey(env: Env): Promise<CryptoKey> {
  let key = keys.get(env);
  if (!key) {
    key = importBoxKey(env);
    keys.set(env, key);
    key.catch(() => keys.delete(env));
  }
  return key;
}

async function importBoxKey(env: Env): Promise<CryptoKey> {
  const raw = await keyBytes(env);
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

async function keyBytes(env: Env): Promise<Uint8Array> {
  const configured = env.MFA_ENCRYPTION_KEY?.trim();
  if (configured) {
    const bytes = decodeKey(configured);
    if (bytes?.byteLength !== KEY_BYTES) {
      throw new ConfigError('MFA_ENCRYPTION_KEY must be 32 random bytes in base64 (e.g. `openssl rand -base64 32`)');
    }
    return bytes;
  }
  if (!getConfig(env).isDevelopment) throw new ConfigError('MFA_ENCRYPTION_KEY is not set');
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(DEV_KEY_SEED)));
}

/** Standard or URL-safe base64, padded or not. */
function decodeKey(text: string): Uint8Array | null {
  try {
    return fromBase64Url(text.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''));
  } catch {
    return null;
  }
}

const aad = (userId: string) => new TextEncoder().encode(`gatehouse:mfa_totp:${userId}`);

function toBase64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
