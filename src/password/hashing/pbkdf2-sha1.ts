import { PBKDF2_MAX_ITERATIONS, pbkdf2WebCrypto } from './pbkdf2';
import { compressSha1, finishSha1, sha1, SHA1_IV } from './sha1';
import { wordsToBytes } from './sha256';

/**
 * PBKDF2-HMAC-SHA1, for Django's `pbkdf2_sha1` hashes only (their iteration counts are the
 * same as pbkdf2_sha256's): WebCrypto within production's limit, pure JS above it.
 */
export async function pbkdf2Sha1(password: Uint8Array, salt: Uint8Array, iterations: number, length: number): Promise<Uint8Array> {
  return iterations <= PBKDF2_MAX_ITERATIONS
    ? pbkdf2WebCrypto('SHA-1', password, salt, iterations, length)
    : pbkdf2Sha1Js(password, salt, iterations, length);
}

/** RFC 8018 with HMAC-SHA1 in plain JS, HMAC pad states computed once (see pbkdf2Sha256Js). */
export function pbkdf2Sha1Js(password: Uint8Array, salt: Uint8Array, iterations: number, length: number): Uint8Array {
  const key = new Uint8Array(64);
  key.set(password.length > 64 ? sha1(password) : password);
  const inner = padState(key, 0x36);
  const outer = padState(key, 0x5c);

  const blocks = Math.ceil(length / 20);
  const out = new Uint8Array(blocks * 20);
  const u = new Int32Array(5);
  const t = new Int32Array(5);
  // Every iteration after the first hashes U (20 bytes) padded as an 84-byte message.
  // Only w[0..4] changes: compression writes the schedule from w[16] on.
  const w = new Int32Array(80);
  w[5] = 0x80000000 | 0;
  w[15] = 84 * 8;
  for (let block = 1; block <= blocks; block++) {
    const first = new Uint8Array(salt.length + 4);
    first.set(salt);
    new DataView(first.buffer).setUint32(salt.length, block);
    u.set(finishSha1(outer, 64, wordsToBytes(finishSha1(inner, 64, first))));
    t.set(u);
    for (let i = 1; i < iterations; i++) {
      for (let j = 0; j < 5; j++) w[j] = u[j]!;
      compressSha1(inner, w, u);
      for (let j = 0; j < 5; j++) w[j] = u[j]!;
      compressSha1(outer, w, u);
      for (let j = 0; j < 5; j++) t[j] = t[j]! ^ u[j]!;
    }
    out.set(wordsToBytes(t), (block - 1) * 20);
  }
  return out.subarray(0, length);
}

function padState(key: Uint8Array, pad: number): Int32Array {
  const view = new DataView(key.map((byte) => byte ^ pad).buffer);
  const w = new Int32Array(80);
  for (let i = 0; i < 16; i++) w[i] = view.getInt32(i * 4);
  const state = new Int32Array(5);
  compressSha1(SHA1_IV, w, state);
  return state;
}
