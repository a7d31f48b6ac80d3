import { argon2i, argon2id } from '@noble/hashes/argon2.js';
import { constantTimeEqual, fromBase64, utf8 } from './bytes';

/**
 * Django's Argon2PasswordHasher: `argon2$argon2id$v=19$m=102400,t=2,p=8$<salt>$<hash>`
 * (argon2-cffi's encoding after the `argon2` prefix; base64 without padding). Django 3.2+
 * writes argon2id with t=2, m=100 MiB, p=8; older rows are argon2i, some without `v=`
 * (version 0x10). Computed in pure JS (@noble/hashes): Workers cannot compile WebAssembly
 * from bytes at run time, and there is no native Argon2.
 */
export interface DjangoArgon2Hash {
  variety: 'argon2id' | 'argon2i';
  version: number;
  memoryKiB: number;
  timeCost: number;
  parallelism: number;
  salt: Uint8Array;
  key: Uint8Array;
}

/**
 * Refused above these rather than computed: a Worker isolate has 128 MB in all, and a bad
 * row must not stall one. Django's defaults (m=102400 KiB, t=2, p=8) are within.
 */
export const ARGON2_MAX_MEMORY_KIB = 128 * 1024;
export const ARGON2_MAX_TIME_COST = 8;
export const ARGON2_MAX_PARALLELISM = 64;

const ENCODED = /^argon2\$(argon2id|argon2i)\$(?:v=(16|19)\$)?m=(\d{1,7}),t=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

export function parseDjangoArgon2(stored: string): DjangoArgon2Hash | null {
  const match = ENCODED.exec(stored);
  if (!match) return null;
  const [, variety, versionText, m, t, p, saltText, keyText] = match;
  const salt = fromUnpaddedBase64(saltText!);
  const key = fromUnpaddedBase64(keyText!);
  const hash = {
    variety: variety as DjangoArgon2Hash['variety'],
    version: versionText === '16' || versionText === undefined ? 0x10 : 0x13,
    memoryKiB: Number(m),
    timeCost: Number(t),
    parallelism: Number(p),
  };
  if (!salt || !key || salt.length < 8 || key.length < 4 || key.length > 64) return null;
  if (hash.timeCost < 1 || hash.timeCost > ARGON2_MAX_TIME_COST) return null;
  if (hash.parallelism < 1 || hash.parallelism > ARGON2_MAX_PARALLELISM) return null;
  if (hash.memoryKiB < 8 * hash.parallelism || hash.memoryKiB > ARGON2_MAX_MEMORY_KIB) return null;
  return { ...hash, salt, key };
}

export function verifyDjangoArgon2(password: string, hash: DjangoArgon2Hash): boolean {
  const derive = hash.variety === 'argon2id' ? argon2id : argon2i;
  const key = derive(utf8(password), hash.salt, {
    t: hash.timeCost,
    m: hash.memoryKiB,
    p: hash.parallelism,
    version: hash.version,
    dkLen: hash.key.length,
    maxmem: (ARGON2_MAX_MEMORY_KIB + 1) * 1024,
  });
  return constantTimeEqual(key, hash.key);
}

function fromUnpaddedBase64(text: string): Uint8Array | null {
  return fromBase64(text + '='.repeat(-text.length & 3));
}
