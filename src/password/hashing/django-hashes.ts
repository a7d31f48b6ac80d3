import { parseDjangoPbkdf2, verifyDjangoPbkdf2 } from './django';
import { parseDjangoArgon2, verifyDjangoArgon2 } from './django-argon2';
import { parseDjangoBcrypt, verifyDjangoBcrypt } from './django-bcrypt';

/** The Django hash formats an imported account may hold (API.md "Coming from the replaced apps"). */
export const DJANGO_HASH_KINDS = ['pbkdf2_sha256', 'pbkdf2_sha1', 'argon2', 'bcrypt_sha256', 'bcrypt'] as const;
export type DjangoHashKind = (typeof DJANGO_HASH_KINDS)[number];

/** Django's make_password(None): `!` and 40 random characters. Nothing verifies against it. */
export const UNUSABLE_PREFIX = '!';

export function isUnusableDjangoPassword(stored: string): boolean {
  return stored.startsWith(UNUSABLE_PREFIX);
}

/** The kind a stored string claims by its prefix (well-formed or not), or null. */
export function djangoHashKind(stored: string): DjangoHashKind | null {
  const prefix = stored.slice(0, stored.indexOf('$'));
  return (DJANGO_HASH_KINDS as readonly string[]).includes(prefix) ? (prefix as DjangoHashKind) : null;
}

/** A parsed Django hash ready to check one candidate password; null when malformed or unknown. */
type Checker = (candidate: string) => boolean | Promise<boolean>;

function checkerFor(stored: string): Checker | null {
  const pbkdf2 = parseDjangoPbkdf2(stored);
  if (pbkdf2) return (candidate) => verifyDjangoPbkdf2(candidate, pbkdf2);
  const argon2 = parseDjangoArgon2(stored);
  if (argon2) return (candidate) => verifyDjangoArgon2(candidate, argon2);
  const bcrypt = parseDjangoBcrypt(stored);
  if (bcrypt) return (candidate) => verifyDjangoBcrypt(candidate, bcrypt);
  return null;
}

/**
 * Verifies a Django hash; null when `stored` is no Django hash we can check. Django
 * hashes the password as typed: that form is tried first, then the NFKC form (the same
 * password typed through another keyboard or IME).
 */
export async function verifyDjangoHash(password: string, stored: string): Promise<boolean | null> {
  const check = checkerFor(stored);
  if (!check) return null;
  for (const candidate of new Set([password, password.normalize('NFKC')])) {
    if (await check(candidate)) return true;
  }
  return false;
}
