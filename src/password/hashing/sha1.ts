/**
 * SHA-1 on Int32 words, only for the pure-JS PBKDF2-HMAC-SHA1 of Django's `pbkdf2_sha1`
 * hashes (pbkdf2-sha1.ts); the shape mirrors sha256.ts (bare compression, so HMAC states
 * are computed once and each iteration is two compressions).
 */

export const SHA1_IV: Readonly<Int32Array> = new Int32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]);

/** out = state + rounds(state, block); `w` holds the block in w[0..15], schedule to w[79]. */
export function compressSha1(state: Readonly<Int32Array>, w: Int32Array, out: Int32Array): void {
  for (let i = 16; i < 80; i++) {
    const x = w[i - 3]! ^ w[i - 8]! ^ w[i - 14]! ^ w[i - 16]!;
    w[i] = (x << 1) | (x >>> 31);
  }
  let a = state[0]!, b = state[1]!, c = state[2]!, d = state[3]!, e = state[4]!;
  // Four loops rather than one with a branch per round: about a third faster here.
  for (let i = 0; i < 20; i++) {
    const t = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[i]!) | 0;
    e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t;
  }
  for (let i = 20; i < 40; i++) {
    const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[i]!) | 0;
    e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t;
  }
  for (let i = 40; i < 60; i++) {
    const t = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e - 0x70e44324 + w[i]!) | 0;
    e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t;
  }
  for (let i = 60; i < 80; i++) {
    const t = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e - 0x359d3e2a + w[i]!) | 0;
    e = d; d = c; c = (b << 30) | (b >>> 2); b = a; a = t;
  }
  out[0] = (state[0]! + a) | 0; out[1] = (state[1]! + b) | 0; out[2] = (state[2]! + c) | 0;
  out[3] = (state[3]! + d) | 0; out[4] = (state[4]! + e) | 0;
}

/** Finishes a hash whose first `absorbed` bytes (a multiple of 64) went into `state`. */
export function finishSha1(state: Readonly<Int32Array>, absorbed: number, data: Uint8Array): Int32Array {
  const totalBlocks = Math.ceil((data.length + 9) / 64);
  const padded = new Uint8Array(totalBlocks * 64);
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  const bits = (absorbed + data.length) * 8;
  view.setUint32(padded.length - 8, Math.floor(bits / 2 ** 32));
  view.setUint32(padded.length - 4, bits >>> 0);

  const out = Int32Array.from(state);
  const w = new Int32Array(80);
  for (let block = 0; block < totalBlocks; block++) {
    for (let i = 0; i < 16; i++) w[i] = view.getInt32(block * 64 + i * 4);
    compressSha1(out, w, out);
  }
  return out;
}

export function sha1(data: Uint8Array): Uint8Array {
  return wordsToBytesSha1(finishSha1(SHA1_IV, 0, data));
}

function wordsToBytesSha1(words: Int32Array): Uint8Array {
  const bytes = new Uint8Array(words.length * 4);
  const view = new DataView(bytes.buffer);
  words.forEach((word, i) => view.setInt32(i * 4, word));
  return bytes;
}
