import { compress, finish, sha256, SHA256_IV, wordsToBytes } from './sha256';

/**
 * Production Workers refuse PBKDF2 above this many iterations, in WebCrypto and in
 * node:crypto alike (workerd checkPbkdfLimits), while local workerd and the test pool
 * do not enforce it (PLATFORM.md "Crypto"). Only a test can catch a breach.
 */
export const PBKDF2_MAX_ITERATIONS = 100_000;

/**
 * Iterations of any PBKDF2 hash this service produces (makeDjangoPbkdf2Hash, for fixtures
 * and imports). New passwords use scrypt; must stay <= PBKDF2_MAX_ITERATIONS (pinned by a test).
 */
export const PBKDF2_ITERATIONS = 100_000;

/** PBKDF2-HMAC-SHA256: native WebCrypto within the production limit, pure JS above it. */
export async function pbkdf2Sha256(
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  length: number,
): Promise<Uint8Array> {
  return iterations <= PBKDF2_MAX_ITERATIONS
    ? pbkdf2Sha256WebCrypto(password, salt, iterations, length)
    : pbkdf2Sha256Js(password, salt, iterations, length);
}

/** PBKDF2-HMAC-SHA256 through WebCrypto; refuses what production would. */
export async function pbkdf2Sha256WebCrypto(
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  length: number,
): Promise<Uint8Array> {
  return pbkdf2WebCrypto('SHA-256', password, salt, iterations, length);
}

/** The only WebCrypto PBKDF2 call in the code base (SHA-1 is for Django's pbkdf2_sha1 rows). */
export async function pbkdf2WebCrypto(
  hash: 'SHA-256' | 'SHA-1',
  password: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  length: number,
): Promise<Uint8Array> {
  if (iterations > PBKDF2_MAX_ITERATIONS) {
    throw new RangeError(`PBKDF2 above ${PBKDF2_MAX_ITERATIONS} iterations fails in production Workers`);
  }
  const key = await crypto.subtle.importKey('raw', password, 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash, salt, iterations }, key, length * 8);
  return new Uint8Array(bits);
}

/**
 * RFC 8018 PBKDF2 with HMAC-SHA256 in plain JS, for counts production WebCrypto refuses
 * (Django's defaults are 600,000+). The HMAC inner and outer states are computed once;
 * every later iteration hashes exactly one block on each, so it costs two compressions.
 */
export function pbkdf2Sha256Js(password: Uint8Array, salt: Uint8Array, iterations: number, length: number): Uint8Array {
  const key = new Uint8Array(64);
  key.set(password.length > 64 ? sha256(password) : password);
  const inner = hmacPadState(key, 0x36);
  const outer = hmacPadState(key, 0x5c);

  const blocks = Math.ceil(length / 32);
  const out = new Uint8Array(blocks * 32);
  const u = new Int32Array(8);
  const t = new Int32Array(8);
  // The block hashed by every iteration after the first: U (32 bytes), then SHA-256
  // padding for a 96-byte message (64 bytes of pad state + 32). Only w[0..7] changes.
  const w = new Int32Array(64);
  w[8] = 0x80000000 | 0;
  w[15] = 96 * 8;

  for (let block = 1; block <= blocks; block++) {
    const first = new Uint8Array(salt.length + 4);
    first.set(salt);
    new DataView(first.buffer).setUint32(salt.length, block);
    u.set(finish(outer, 64, wordsToBytes(finish(inner, 64, first))));
    t.set(u);
    for (let i = 1; i < iterations; i++) {
      for (let j = 0; j < 8; j++) w[j] = u[j]!;
      compress(inner, w, u);
      for (let j = 0; j < 8; j++) w[j] = u[j]!;
      compress(outer, w, u);
      for (let j = 0; j < 8; j++) t[j] = t[j]! ^ u[j]!;
    }
    out.set(wordsToBytes(t), (block - 1) * 32);
  }
  return out.subarray(0, length);
}

/** SHA-256 state after absorbing the 64-byte key XOR pad (HMAC's ipad or opad). */
function hmacPadState(key: Uint8Array, pad: number): Int32Array {
  const view = new DataView(key.map((byte) => byte ^ pad).buffer);
  const w = new Int32Array(64);
  for (let i = 0; i < 16; i++) w[i] = view.getInt32(i * 4);
  const state = new Int32Array(8);
  compress(SHA256_IV, w, state);
  return state;
}
