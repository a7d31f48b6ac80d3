import bcrypt from 'bcryptjs';
import { utf8 } from './bytes';

/**
 * Django's `bcrypt$$2b$12$…` (the password itself, cut by bcrypt at 72 bytes) and
 * `bcrypt_sha256$$2b$12$…` (bcrypt of the hex SHA-256 of the password, Django's default
 * bcrypt hasher). Computed by bcryptjs (pure JS).
 */
export interface DjangoBcryptHash {
  prehash: boolean;
  /** The bcrypt string, `$2b$12$<salt><checksum>`. */
  bcrypt: string;
  rounds: number;
}

/** Django's default is 12; each round more doubles the cost, so a bad row cannot ask for much more. */
export const BCRYPT_MAX_ROUNDS = 14;

const ENCODED = /^(bcrypt|bcrypt_sha256)\$(\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53})$/;

export function parseDjangoBcrypt(stored: string): DjangoBcryptHash | null {
  const match = ENCODED.exec(stored);
  if (!match) return null;
  const rounds = Number(match[3]);
  if (rounds < 4 || rounds > BCRYPT_MAX_ROUNDS) return null;
  return { prehash: match[1] === 'bcrypt_sha256', bcrypt: match[2]!, rounds };
}

export async function verifyDjangoBcrypt(password: string, hash: DjangoBcryptHash): Promise<boolean> {
  const input = hash.prehash ? await sha256Hex(password) : password;
  return bcrypt.compareSync(input, hash.bcrypt);
}

async function sha256Hex(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', utf8(text)));
  return [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
