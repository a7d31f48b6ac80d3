/** A 6-digit code from the CSPRNG without modulo bias (rejection sampling). */
export function randomDigits(length = 6): string {
  const max = 10 ** length;
  // Largest multiple of `max` below 2^32: values at or above it are redrawn.
  const limit = Math.floor(0x1_0000_0000 / max) * max;
  const buffer = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(buffer);
    const value = buffer[0]!;
    if (value < limit) return String(value % max).padStart(length, '0');
  }
}

/** URL-safe random token of `bytes` random bytes (32 bytes = 256 bits). */
export function randomToken(bytes = 32): string {
  const buffer = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...buffer)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
