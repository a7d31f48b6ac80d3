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
 * before anything is written. Holds three keys and one id per user, not the users.
 */
export class CollisionScanner {
  private readonly byKey = new Map<string, Who[]>();
  private readonly lone: Collision[] = [];
  /** Every user id in the dump (importable or not): relations naming others are skipped. */
  readonly userIds = new Set<string>();

  add(user: ImportedUser): void {
    const who = { id: user.id, username: user.username, email: user.email };
    this.userIds.add(user.id);
    if (user.username_key) this.remember(`username ${user.username_key}`, who);
    if (user.email) this.remember(`email ${user.email}`, who);
    if (user.phone_number) this.remember(`phone ${user.phone_number}`, who);
    if (user.unreadablePhone) this.lone.push(collision('phone_unreadable', user.unreadablePhone, [who]));
    else if (!user.email && !(user.username && user.phone_number)) this.lone.push(collision('no_sign_in', user.username ?? user.id, [who]));
  }

  private remember(key: string, who: Who): void {
    const holders = this.byKey.get(key);
    if (holders) holders.push(who);
    else this.byKey.set(key, [who]);
  }

  /** Every collision, and the ids of the users that are not imported. */
  result(): { collisions: Collision[]; excluded: Set<string> } {
    const collisions = [...this.lone];
    for (const [key, holders] of this.byKey) {
      if (holders.length < 2) continue;
      const space = key.indexOf(' ');
      collisions.push(collision(key.slice(0, space) as Collision['kind'], key.slice(space + 1), holders));
    }
    const excluded = new Set(collisions.flatMap((c) => c.users.map((u) => u.id)));
    return { collisions, excluded };
  }
}

function collision(kind: Collision['kind'], key: string, users: Who[]): Collision {
  return { kind, key, users, fix: FIXES[kind] };
}
