import { CompactSign, compactVerify, importJWK } from 'jose';
import type { Env } from '../env';
import { ConfigError, getConfig } from '../config/config';
import { ApiError } from '../http/errors';
import { createLogger } from '../http/log';
import type { SigningAlg } from './claims';
import { ensureDevSigningKey } from './dev-key';
import { parsePrivateJwks, toPublicJwk, type PrivateSigningJwk, type PublicSigningJwk } from './jwk';

export interface VerifyKey {
  alg: SigningAlg;
  key: CryptoKey;
}

/** Imported keys: the first configured key signs, every configured key verifies. */
export interface KeySet {
  signing: { kid: string; alg: SigningAlg; key: CryptoKey };
  verify: ReadonlyMap<string, VerifyKey>;
  jwks: { keys: PublicSigningJwk[] };
}

// Per-isolate caches. Keyed by the secret's text, so a rotated secret is picked up by
// the next request without a redeploy; a few entries only, so old texts do not pile up.
const MAX_CACHED_SECRETS = 4;
const bySecret = new Map<string, Promise<KeySet>>();
const byDevDb = new WeakMap<D1Database, Promise<KeySet>>();

/**
 * The key set for this environment. A missing or malformed key configuration is
 * answered as 503 with a message naming the setting, and logged with the reason.
 */
export async function getKeySet(env: Env, now: number): Promise<KeySet> {
  const isDevelopment = getConfig(env).isDevelopment;
  const secret = env.JWT_PRIVATE_JWKS?.trim();
  const source = secret || !isDevelopment ? 'JWT_PRIVATE_JWKS' : 'dev_signing_keys';
  try {
    if (secret) return await fromSecret(secret);
    if (!isDevelopment) throw new ConfigError('JWT_PRIVATE_JWKS is not set');
    return await fromDevDb(env.DB, now);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    createLogger({ component: 'tokens' }).error('access token keys unusable', { reason: err.message });
    throw new ApiError('service_unavailable', `The access token signing keys are unusable (${source}); see the server log.`);
  }
}

function fromSecret(secret: string): Promise<KeySet> {
  let pending = bySecret.get(secret);
  if (!pending) {
    if (bySecret.size >= MAX_CACHED_SECRETS) bySecret.clear();
    pending = importKeySet(parsePrivateJwks(secret, 'JWT_PRIVATE_JWKS'), 'JWT_PRIVATE_JWKS');
    bySecret.set(secret, pending);
    // A failure is not cached: the next request tries again (and logs again).
    pending.catch(() => bySecret.get(secret) === pending && bySecret.delete(secret));
  }
  return pending;
}

function fromDevDb(db: D1Database, now: number): Promise<KeySet> {
  let pending = byDevDb.get(db);
  if (!pending) {
    pending = ensureDevSigningKey(db, now).then((key) => importKeySet([key], 'dev_signing_keys.current'));
    byDevDb.set(db, pending);
    pending.catch(() => byDevDb.get(db) === pending && byDevDb.delete(db));
  }
  return pending;
}

async function importKeySet(keys: PrivateSigningJwk[], source: string): Promise<KeySet> {
  const [first] = keys;
  if (!first) throw new ConfigError(`${source} has no keys`);
  const verifyKeys = await Promise.all(keys.map((k, i) => importPublic(k, `${source} keys[${i}]`)));
  const signingKey = await importPrivate(first, `${source} keys[0]`);
  await selfTest(first, signingKey, verifyKeys[0]!.key, `${source} keys[0]`);
  return {
    signing: { kid: first.kid, alg: first.alg, key: signingKey },
    verify: new Map(keys.map((k, i) => [k.kid, verifyKeys[i]!])),
    jwks: { keys: keys.map(toPublicJwk) },
  };
}

async function importPublic(jwk: PrivateSigningJwk, where: string): Promise<VerifyKey> {
  const { kty, crv, x, y, alg } = jwk;
  try {
    return { alg, key: (await importJWK({ kty, crv, x, y }, alg)) as CryptoKey };
  } catch {
    throw new ConfigError(`${where}: the public key ("x"/"y") is not a valid ${crv} point`);
  }
}

async function importPrivate(jwk: PrivateSigningJwk, where: string): Promise<CryptoKey> {
  const { kty, crv, x, y, d, alg } = jwk;
  try {
    return (await importJWK({ kty, crv, x, y, d }, alg)) as CryptoKey;
  } catch {
    throw new ConfigError(`${where}: the private key ("d") could not be imported`);
  }
}

/** WebCrypto does not check that `d` matches `x`: a mismatch would mint unverifiable tokens. */
async function selfTest(jwk: PrivateSigningJwk, privateKey: CryptoKey, publicKey: CryptoKey, where: string): Promise<void> {
  try {
    const probe = await new CompactSign(new TextEncoder().encode('gatehouse key check')).setProtectedHeader({ alg: jwk.alg }).sign(privateKey);
    await compactVerify(probe, publicKey, { algorithms: [jwk.alg] });
  } catch {
    throw new ConfigError(`${where}: the private key ("d") does not match its public key`);
  }
}
