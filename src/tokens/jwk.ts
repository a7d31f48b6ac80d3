import { ConfigError } from '../config/config';
import type { SigningAlg } from './claims';

/** A private signing key as configured: only the fields we use, already validated. */
export interface PrivateSigningJwk {
  kty: 'OKP' | 'EC';
  crv: 'Ed25519' | 'P-256';
  x: string;
  y?: string;
  d: string;
  kid: string;
  alg: SigningAlg;
}

/** What /.well-known/jwks.json publishes for one key. */
export interface PublicSigningJwk {
  kty: 'OKP' | 'EC';
  crv: 'Ed25519' | 'P-256';
  x: string;
  y?: string;
  kid: string;
  alg: SigningAlg;
  use: 'sig';
}

/** Also the rule for a `kid` header: anything else is refused before a key look-up. */
export const KID_PATTERN = /^[A-Za-z0-9._~:-]{1,128}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const CURVE = { EdDSA: { kty: 'OKP', crv: 'Ed25519' }, ES256: { kty: 'EC', crv: 'P-256' } } as const;

/**
 * Parses `{"keys": [private JWK, …]}`. Messages name the field at fault but never echo
 * the secret (JSON.parse's own message quotes the input, so it is not passed on).
 */
export function parsePrivateJwks(text: string, source: string): PrivateSigningJwk[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(`${source} is not valid JSON`);
  }
  const list = isRecord(parsed) ? parsed.keys : undefined;
  if (!Array.isArray(list) || list.length === 0) {
    throw new ConfigError(`${source} must look like {"keys": [private JWK, …]} with at least one key`);
  }
  const keys = list.map((value, i) => parsePrivateJwk(value, `${source} keys[${i}]`));
  if (new Set(keys.map((k) => k.kid)).size !== keys.length) throw new ConfigError(`${source} has two keys with the same "kid"`);
  return keys;
}

export function parsePrivateJwk(value: unknown, where: string): PrivateSigningJwk {
  if (!isRecord(value)) throw new ConfigError(`${where} is not a JSON object`);
  const { kid, alg, kty, crv, x, y, d, use } = value;
  if (typeof kid !== 'string' || !KID_PATTERN.test(kid)) {
    throw new ConfigError(`${where}: "kid" must be 1 to 128 characters of A-Z a-z 0-9 . _ ~ : -`);
  }
  if (alg !== 'EdDSA' && alg !== 'ES256') throw new ConfigError(`${where}: "alg" must be "EdDSA" or "ES256"`);
  const curve = CURVE[alg];
  if (kty !== curve.kty || crv !== curve.crv) {
    throw new ConfigError(`${where}: "alg" ${alg} needs "kty" ${curve.kty} and "crv" ${curve.crv}`);
  }
  if (use !== undefined && use !== 'sig') throw new ConfigError(`${where}: "use" must be "sig" when present`);
  if (!isBase64url(d)) throw new ConfigError(`${where}: "d" is missing, so this is not a private key`);
  if (!isBase64url(x) || (alg === 'ES256' && !isBase64url(y))) {
    throw new ConfigError(`${where}: the public part ("x"${alg === 'ES256' ? ', "y"' : ''}) is missing or not base64url`);
  }
  const key: PrivateSigningJwk = { kty: curve.kty, crv: curve.crv, x, d, kid, alg };
  if (alg === 'ES256') key.y = y as string;
  return key;
}

/** Built field by field rather than by deleting `d`, so no private member can slip through. */
export function toPublicJwk(key: PrivateSigningJwk): PublicSigningJwk {
  return {
    kty: key.kty,
    crv: key.crv,
    x: key.x,
    ...(key.y === undefined ? {} : { y: key.y }),
    kid: key.kid,
    alg: key.alg,
    use: 'sig',
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBase64url(value: unknown): value is string {
  return typeof value === 'string' && BASE64URL.test(value);
}
