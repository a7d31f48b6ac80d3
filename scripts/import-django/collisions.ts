import type { ImportedUser } from './users';

/** A user the import leaves out, and why (with what the operator can do about it). */
export interface Collision {
  kind: 'username' | 'email' | 'phone' | 'phone_unreadable' | 'no_sign_in';
  /** The shared key (lower-cased username or email, E.164 phone) or the unreadable text. */
  key: string;
  users: { id: string; username: string | null; email: string | null }[];
  fix: string;
}

const FIXES: Record<Collision['kind'], string> = {
  username: 'Usernames here are unique ignoring case: rename all but one in Django (e.g. append a digit), dump again and re-run.',
  email: 'Emails here are unique ignoring case: merge the accounts or change all but one address in Django, dump again and re-run.',
  phone: 'These numbers are the same in E.164: clear or correct all but one in Django, dump again and re-run.',
  phone_unreadable: 'Not a valid number (national numbers need --phone-region, e.g. PK): correct or clear it in Django, dump again and re-run.',
  no_sign_in: 'An account needs an email, or a username and a phone number: add one in Django, dump again and re-run.',
};

type Who = Collision['users'][number];

/**
 * The first pass over the dump: every user's keys, so users whose username or email
 * equals another's ignoring case, or whose phones match after normalization, are found
 * before anything is written. Holds each key with a small number (the user's position)
 * and each id once, about 100 bytes a user; names of the users in collisions are filled
 * in by `describe` during the next pass.
 */
export class CollisionScanner {
  /** Every user id in the dump (importable or not), with its position. */
  private readonly positions = new Map<string, number>();
  private readonly ids: string[] = [];
  /** "username alice" → position of the first user holding it. */
  private readonly firstHolder = new Map<string, number>();
  /** Keys held by more than one user → positions of all of them. */
  private readonly shared = new Map<string, number[]>();
  private readonly lone: Collision[] = [];
  private readonly named = new Map<string, Who[]>();

  add(user: ImportedUser): void {
    if (this.positions.has(user.id)) return;
    const userId = ownCopy(user.id);
    const position = this.ids.push(userId) - 1;
    this.positions.set(userId, position);
    if (user.username_key) this.remember(ownCopy(`username ${user.username_key}`), position);
    if (user.email) this.remember(ownCopy(`email ${user.email}`), position);
    if (user.phone_number) this.remember(ownCopy(`phone ${user.phone_number}`), position);
    const who = { id: user.id, username: user.username, email: user.email };
    if (user.unreadablePhone) this.lone.push(collision('phone_unreadable', user.unreadablePhone, [who]));
    else if (!user.email && !(user.username && user.phone_number)) this.lone.push(collision('no_sign_in', user.username ?? user.id, [who]));
  }

  has(userId: string): boolean {
    return this.positions.has(userId);
  }

  get size(): number {
    return this.ids.length;
  }

  private remember(key: string, position: number): void {
    const first = this.firstHolder.get(key);
    if (first === undefined) this.firstHolder.set(key, position);
    else this.shared.set(key, [...(this.shared.get(key) ?? [first]), position]);
  }

  /** Every collision, and the ids of the users that are not imported. */
  result(): { collisions: Collision[]; excluded: Set<string> } {
    const collisions = [...this.lone];
    for (const [key, positions] of this.shared) {
      const space = key.indexOf(' ');
      const users = positions.map((p) => ({ id: this.ids[p]!, username: null, email: null }));
      for (const who of users) this.named.set(who.id, [...(this.named.get(who.id) ?? []), who]);
      collisions.push(collision(key.slice(0, space) as Collision['kind'], key.slice(space + 1), users));
    }
    this.firstHolder.clear();
    const excluded = new Set(collisions.flatMap((c) => c.users.map((u) => u.id)));
    return { collisions, excluded };
  }

  /** Puts the username and email of a user named in a collision into the report. */
  describe(user: ImportedUser): void {
    for (const who of this.named.get(user.id) ?? []) Object.assign(who, { username: user.username, email: user.email });
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/**
 * A string that owns its characters: a parser's strings can be slices of the whole chunk
 * they were read from (64 KiB), and keeping one would keep the chunk (measured: 100,000
 * users' ids and keys held 80 MB before this, about 5 MB after).
 */
function ownCopy(text: string): string {
  return decoder.decode(encoder.encode(text));
}

function collision(kind: Collision['kind'], key: string, users: Who[]): Collision {
  return { kind, key, users, fix: FIXES[kind] };
}
