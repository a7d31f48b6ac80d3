import { constantTimeEqual, fromBase64, toBase64, utf8 } from './bytes';
import { pbkdf2Sha256, PBKDF2_ITERATIONS } from './pbkdf2';
import { pbkdf2Sha1 } from './pbkdf2-sha1';

/**
 * Django's `pbkdf2_sha256$<iterations>$<salt>$<base64 key>` (and `pbkdf2_sha1$…`), as found
 * in the databases of the systems this service replaces. The salt is used as its literal
 * UTF-8 text and the key is PBKDF2-HMAC of the UTF-8 password, one digest long (32 bytes
 * for SHA-256, 20 for SHA-1; django.contrib.auth.hashers).
 */
export interface DjangoPbkdf2Hash {
  digest: 'sha256' | 'sha1';
  iterations: number;
  salt: string;
  key: Uint8Array;
}

/**
 * Django 6.0 uses 1,200,000 iterations. Above this a row is refused rather than
 * computed: counts past 100,000 run in pure JS (~0.5 s per 870,000 here).
 */
export const DJANGO_MAX_ITERATIONS = 2_000_000;

const KEY_BYTES = { sha256: 32, sha1: 20 } as const;

export function parseDjangoPbkdf2(stored: string): DjangoPbkdf2Hash | null {
  const parts = stored.split('$');
  const digest = parts[0] === 'pbkdf2_sha256' ? 'sha256' : parts[0] === 'pbkdf2_sha1' ? 'sha1' : null;
  if (parts.length !== 4 || !digest) return null;
  const [, iterationsText = '', salt = '', keyText = ''] = parts;
  const iterations = /^[1-9][0-9]{0,8}$/.test(iterationsText) ? Number(iterationsText) : 0;
  const key = fromBase64(keyText);
  if (iterations < 1 || iterations > DJANGO_MAX_ITERATIONS || salt === '' || key?.length !== KEY_BYTES[digest]) return null;
  return { digest, iterations, salt, key };
}

/** One candidate password against a pbkdf2 hash (django-hashes.ts tries the typed and NFKC forms). */
export async function verifyDjangoPbkdf2(password: string, hash: DjangoPbkdf2Hash): Promise<boolean> {
  const derive = hash.digest === 'sha256' ? pbkdf2Sha256 : pbkdf2Sha1;
  const key = await derive(utf8(password), utf8(hash.salt), hash.iterations, hash.key.length);
  return constantTimeEqual(key, hash.key);
}

/**
 * A hash as Django would write it: for tests, fixtures and import tooling. It is never
 * stored for new passwords (hashPassword uses scrypt) and is always due for a rehash.
 */
export async function makeDjangoPbkdf2Hash(
  password: string,
  salt: string = randomDjangoSalt(),
  iterations: number = PBKDF2_ITERATIONS,
): Promise<string> {
  if (salt === '' || salt.includes('$')) throw new TypeError('A Django salt is non-empty and has no "$"');
  const key = await pbkdf2Sha256(utf8(password), utf8(salt), iterations, 32);
  return ['pbkdf2_sha256', iterations, salt, toBase64(key)].join('$');
}

/** 22 alphanumerics (~131 bits), like Django's own salts. */
function randomDjangoSalt(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  // 62 * 4 = 248: bytes past it are dropped, so every character is equally likely.
  const picks = [...crypto.getRandomValues(new Uint8Array(64))].filter((byte) => byte < 248);
  return picks.slice(0, 22).map((byte) => alphabet[byte % 62]).join('');
}
