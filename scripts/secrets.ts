/**
 * The production secrets, generated locally with WebCrypto (Node 22 and workerd alike, so
 * test/devx.generated-keys.cases.ts checks these very functions against the Worker's code).
 * Formats: JWT_PRIVATE_JWKS as src/tokens/jwk.ts parses it ({"keys":[private JWK, …]},
 * Ed25519 with kid and alg); MFA_ENCRYPTION_KEY 32 random bytes in base64
 * (src/mfa/secret-box.ts); AUDIT_HASH_KEY 32 random bytes in base64, 44 characters
 * (src/audit/identifier-hash.ts wants at least 32).
 */

export interface PrivateJwks {
  keys: Record<string, string>[];
}

export interface GeneratedSecrets {
  JWT_PRIVATE_JWKS: string;
  MFA_ENCRYPTION_KEY: string;
  AUDIT_HASH_KEY: string;
}

/** A fresh Ed25519 signing key as a private JWK; the kid says when it was made. */
export async function generateSigningJwk(now = new Date()): Promise<Record<string, string>> {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])) as CryptoKeyPair;
  const jwk = (await crypto.subtle.exportKey('jwk', pair.privateKey)) as JsonWebKey;
  const day = now.toISOString().slice(0, 10);
  const suffix = [...crypto.getRandomValues(new Uint8Array(4))].map((b) => b.toString(16).padStart(2, '0')).join('');
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x!, d: jwk.d!, kid: `${day}-${suffix}`, alg: 'EdDSA', use: 'sig' };
}

export function randomKeyBase64(bytes = 32): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(bytes))));
}

export async function generateSecrets(now = new Date()): Promise<GeneratedSecrets> {
  return {
    JWT_PRIVATE_JWKS: JSON.stringify({ keys: [await generateSigningJwk(now)] }),
    MFA_ENCRYPTION_KEY: randomKeyBase64(),
    AUDIT_HASH_KEY: randomKeyBase64(),
  };
}

/**
 * Rotation: a new key first (it signs from the next request on), then the `keep` newest
 * keys of the current set (they still verify the tokens they signed); older ones drop.
 * Keep the previous key at least the refresh token lifetime (TTL_REFRESH_TOKEN, 7 days).
 */
export async function rotateJwks(currentText: string, keep = 1, now = new Date()): Promise<string> {
  let current: PrivateJwks;
  try {
    current = JSON.parse(currentText) as PrivateJwks;
  } catch {
    throw new Error('the current JWT_PRIVATE_JWKS is not valid JSON');
  }
  if (!Array.isArray(current?.keys) || current.keys.length === 0) throw new Error('the current JWT_PRIVATE_JWKS has no keys');
  if (current.keys.some((k) => typeof k.d !== 'string')) throw new Error('the current JWT_PRIVATE_JWKS must hold private keys (with "d")');
  return JSON.stringify({ keys: [await generateSigningJwk(now), ...current.keys.slice(0, keep)] });
}

/** Shell-safe single quoting for the printed commands. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** `printf '%s' '<value>' | npx wrangler secret put NAME --env production`, one per secret. */
export function secretPutLines(secrets: Partial<GeneratedSecrets>, env = 'production'): string[] {
  return Object.entries(secrets).map(
    ([name, value]) => `printf '%s' ${shellQuote(value!)} | npx wrangler secret put ${name}${env ? ` --env ${env}` : ''}`,
  );
}
