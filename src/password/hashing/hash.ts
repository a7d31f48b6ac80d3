import { isUnusableDjangoPassword, verifyDjangoHash } from './django-hashes';
import { normalizePassword } from './normalize';
import { hashScrypt, parseScrypt, scryptNeedsRehash, verifyScrypt } from './scrypt';

export interface VerifyResult {
  ok: boolean;
  /**
   * The hash uses old parameters or a foreign format: store hashPassword(password) now.
   * Only ever true together with ok, so it can never lead to storing a wrong password.
   */
  needsRehash: boolean;
}

const REFUSED: VerifyResult = { ok: false, needsRehash: false };

/** Hash for storage: a self-describing string carrying its algorithm and parameters. */
export async function hashPassword(password: string): Promise<string> {
  return hashScrypt(normalizePassword(password));
}

/**
 * Checks a password against any hash format we hold: our scrypt hashes and imported
 * Django ones (pbkdf2_sha256, pbkdf2_sha1, argon2, bcrypt_sha256, bcrypt), which answer
 * needsRehash when right. Unknown or malformed hashes answer ok=false, never throw; a
 * failure of the crypto runtime itself does throw (it is not a wrong password). An
 * imported unusable password (`!…`, "must reset") costs what a current hash costs and
 * refuses, like a wrong password; a reset replaces it.
 */
export async function verifyPassword(password: string, stored: string): Promise<VerifyResult> {
  const scrypt = parseScrypt(stored);
  if (scrypt) {
    const ok = await verifyScrypt(normalizePassword(password), scrypt);
    return { ok, needsRehash: ok && scryptNeedsRehash(scrypt) };
  }
  if (isUnusableDjangoPassword(stored)) return dummyVerify(password);
  const ok = await verifyDjangoHash(password, stored);
  return ok ? { ok, needsRehash: true } : REFUSED;
}

/**
 * For a login naming no account: costs what verifying a current hash costs, so response
 * time does not tell whether the account exists. Always refuses.
 */
export async function dummyVerify(password: string): Promise<VerifyResult> {
  await hashPassword(password);
  return REFUSED;
}
