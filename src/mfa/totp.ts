import { timingSafeEqualStrings } from '../crypto/hash';

/**
 * RFC 6238 TOTP over RFC 4226 HOTP with HMAC-SHA-1: what every authenticator app
 * computes by default. 6 digits, 30-second steps counted from the Unix epoch.
 */
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SEC = 30;
/** Steps accepted either side of now: a phone clock a little off, a code typed slowly. */
export const TOTP_WINDOW = 1;

/** The time step (RFC 6238 T) at `now` ms. */
export function timeStep(now: number): number {
  return Math.floor(now / 1000 / TOTP_PERIOD_SEC);
}

/** RFC 4226 HOTP: HMAC-SHA-1 of the 8-byte big-endian counter, dynamically truncated. */
export async function hotp(secret: Uint8Array, counter: number, digits = TOTP_DIGITS): Promise<string> {
  return hotpWithKey(await hmacKey(secret), counter, digits);
}

function hmacKey(secret: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
}

async function hotpWithKey(key: CryptoKey, counter: number, digits: number): Promise<string> {
  const message = new DataView(new ArrayBuffer(8));
  // Counters beyond 2^32 (year 6053 at 30 s) still encode right: high and low words apart.
  message.setUint32(0, Math.floor(counter / 0x1_0000_0000));
  message.setUint32(4, counter >>> 0);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, message.buffer));
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary =
    ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** The code an authenticator shows at `now` ms. */
export function totpAt(secret: Uint8Array, now: number, digits = TOTP_DIGITS): Promise<string> {
  return hotp(secret, timeStep(now), digits);
}

/**
 * The time step whose code `code` is, within ±TOTP_WINDOW of now, or null. Every step
 * of the window is computed and compared in constant time, so the answer's timing says
 * nothing about which step (if any) matched.
 */
export async function matchTotp(secret: Uint8Array, code: string, now: number): Promise<number | null> {
  const key = await hmacKey(secret);
  const current = timeStep(now);
  let matched: number | null = null;
  for (let step = current - TOTP_WINDOW; step <= current + TOTP_WINDOW; step++) {
    const expected = await hotpWithKey(key, step, TOTP_DIGITS);
    if (timingSafeEqualStrings(expected, code) && matched === null) matched = step;
  }
  return matched;
}
