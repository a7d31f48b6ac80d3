import type { Db } from '../db/client';
import type { UserRow } from '../db/schema';
import { and, eq, isNull } from 'drizzle-orm';
import { users } from '../db/schema';
import { normalizeEmail, usernameKey } from './normalize';
import type { ReadPhone } from './phones';
import { sha256Hex } from '../crypto/hash';

export type Identifier = { kind: 'email' | 'username' | 'phone'; value: string };

/**
 * What the client sent, in canonical form: `identifier` is read as an email, a phone number
 * or a username. Only a phone number waits for `readPhone` (its metadata, once per isolate).
 */
export async function parseIdentifier(
  input: { email?: string; username?: string; phone_number?: string; identifier?: string },
  readPhone: ReadPhone,
): Promise<Identifier | null> {
  if (input.email) return { kind: 'email', value: normalizeEmail(input.email) };
  if (input.username) return { kind: 'username', value: usernameKey(input.username) };
  if (input.phone_number) return phone(input.phone_number, readPhone);
  const raw = input.identifier?.trim();
  if (!raw) return null;
  if (raw.includes('@')) return { kind: 'email', value: normalizeEmail(raw) };
  if (/^[+\d][\d\s().-]*$/.test(raw)) return phone(raw, readPhone);
  return { kind: 'username', value: usernameKey(raw) };
}

async function phone(raw: string, readPhone: ReadPhone): Promise<Identifier> {
  const value = await readPhone(raw);
  // An unparseable number still gets a stable name, so it locks out like any other.
  return { kind: 'phone', value: value ?? raw.replace(/\s+/g, '') };
}

/** The account's own sign-in key, for re-checking its password: its email, else username, else phone. */
export function ownIdentifier(user: Pick<UserRow, 'email' | 'usernameKey' | 'phoneNumber'>): Identifier {
  if (user.email) return { kind: 'email', value: user.email };
  if (user.usernameKey) return { kind: 'username', value: user.usernameKey };
  return { kind: 'phone', value: user.phoneNumber ?? '' };
}

/** Names the stand-in object of an identifier with no account: the same name login uses (sign-in/password.ts). */
export function identifierHash(id: Identifier): Promise<string> {
  return sha256Hex(`${id.kind}:${id.value}`);
}

export async function findUserByIdentifier(db: Db, id: Identifier): Promise<UserRow | undefined> {
  const column = id.kind === 'email' ? users.email : id.kind === 'username' ? users.usernameKey : users.phoneNumber;
  return db.query.users.findFirst({ where: and(eq(column, id.value), isNull(users.deletedAt)) });
}
