import { scrypt } from 'node:crypto';
import { promisify } from 'node:util';
import { constantTimeEqual, fromBase64, toBase64, utf8 } from './bytes';

/**
 * Current scrypt parameters. OWASP's password storage cheat sheet asks for N=2^17, r=8,
 * p=1 (128 MiB) or an equivalent: N=2^16 p=2 (64 MiB), N=2^15 p=3 (32 MiB), N=2^14 p=5
 * (16 MiB). A Worker isolate has 128 MB in all, so we take the 16 MiB row: same work as
 * the others, memory that leaves room for concurrent requests. Measured in the test
 * runtime (workerd, BoringSSL, this machine): ~95 ms per hash, against ~20 ms for p=1 and
 * ~130 ms for N=2^15 p=3. Raising any of these makes old hashes report needsRehash.
 */
export const SCRYPT_N = 2 ** 14;
export const SCRYPT_R = 8;
export const SCRYPT_P = 5;
export const SCRYPT_SALT_BYTES = 16;
export const SCRYPT_KEY_BYTES = 32;
/** What new hashes use, and what older ones are rehashed to: production's parameters above. */
const currentCost = { N: SCRYPT_N, r: SCRYPT_R, p: SCRYPT_P };
export type ScryptCost = typeof currentCost;
export const PRODUCTION_SCRYPT_COST: Readonly<ScryptCost> = { N: SCRYPT_N, r: SCRYPT_R, p: SCRYPT_P };

/**
 * For test suites only, as Django's own test settings swap in a fast hasher: every
 * account a test logs in with would otherwise cost ~100 ms of CPU per login. The tests of
 * hashing itself set PRODUCTION_SCRYPT_COST back. Nothing in src calls this.
 */
export function useScryptCost(cost: ScryptCost): void {
  Object.assign(currentCost, cost);
}

/** BoringSSL needs 128·r·(N + p + 1) bytes; node's default cap (32 MiB) also bounds what verify accepts. */
export const SCRYPT_MAXMEM = 32 * 1024 * 1024;
/** Verify refuses hashes asking for more work than this (about 3x current): a bad row must not stall an isolate. */
const MAX_COST = 2 ** 21;

const scryptAsync = promisify(scrypt) as (
  password: Uint8Array,
  salt: Uint8Array,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Uint8Array>;

export interface ScryptHash {
  N: number;
  r: number;
  p: number;
  salt: Uint8Array;
  key: Uint8Array;
}

/** `scrypt$<N>$<r>$<p>$<salt b64>$<key b64>` with the current parameters and a fresh salt. */
export async function hashScrypt(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SCRYPT_SALT_BYTES));
  const params = { ...currentCost, salt };
  return formatScrypt({ ...params, key: await derive(password, params, SCRYPT_KEY_BYTES) });
}

export function formatScrypt(hash: ScryptHash): string {
  return ['scrypt', hash.N, hash.r, hash.p, toBase64(hash.salt), toBase64(hash.key)].join('$');
}

/** null for anything that is not a well-formed scrypt hash we are willing to compute. */
export function parseScrypt(stored: string): ScryptHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map((part) => (/^[1-9][0-9]{0,9}$/.test(part) ? Number(part) : NaN));
  const salt = fromBase64(parts[4]!);
  const key = fromBase64(parts[5]!);
  if (N === undefined || r === undefined || p === undefined || !salt || !key) return null;
  const powerOfTwo = N >= 2 && (N & (N - 1)) === 0;
  const fits = 128 * r * (N + p + 1) <= SCRYPT_MAXMEM && N * r * p <= MAX_COST;
  if (!powerOfTwo || !fits || salt.length < 8 || key.length < 16 || key.length > 64) return null;
  return { N, r, p, salt, key };
}

export async function verifyScrypt(password: string, hash: ScryptHash): Promise<boolean> {
  return constantTimeEqual(await derive(password, hash, hash.key.length), hash.key);
}

/** Anything but the current parameters and sizes gets rehashed on the next successful login. */
export function scryptNeedsRehash(hash: ScryptHash): boolean {
  return (
    hash.N !== currentCost.N ||
    hash.r !== currentCost.r ||
    hash.p !== currentCost.p ||
    hash.salt.length !== SCRYPT_SALT_BYTES ||
    hash.key.length !== SCRYPT_KEY_BYTES
  );
}

function derive(password: string, { N, r, p, salt }: Omit<ScryptHash, 'key'>, length: number): Promise<Uint8Array> {
  return scryptAsync(utf8(password), salt, length, { N, r, p, maxmem: SCRYPT_MAXMEM });
}
