import { and, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import { users } from '../db/schema';
import { usernameKey } from '../users/normalize';

/** Sorts after every character a prefix can be followed by: `col >= p AND col < p || MAX` is "starts with p". */
const MAX_CHAR = '\u{10FFFF}';
const MAX_TERMS = 5;

const firstNameLower = sql`lower(${users.firstName})`;
const lastNameLower = sql`lower(${users.lastName})`;

/**
 * Search: every word of the query must start the email, username, first or last name
 * (case-insensitive), as Django's `^field` search. Prefix ranges, unlike `LIKE '%…%'`,
 * are answered from indexes: the email and username unique indexes and the lower(name)
 * expression indexes (migration 0002). SQLite's lower() folds ASCII only, so names are
 * compared with ASCII case folding; emails and usernames are stored folded already.
 */
export function searchCondition(search: string | undefined): SQL | undefined {
  const terms = (search ?? '').normalize('NFKC').split(/\s+/).filter(Boolean).slice(0, MAX_TERMS);
  if (terms.length === 0) return undefined;
  return and(...terms.map(termCondition));
}

export function termCondition(term: string): SQL {
  const folded = term.toLowerCase();
  const asciiFolded = term.replace(/[A-Z]/g, (ch) => ch.toLowerCase());
  return or(
    startsWith(users.email, folded),
    startsWith(users.usernameKey, usernameKey(term)),
    startsWith(firstNameLower, asciiFolded),
    startsWith(lastNameLower, asciiFolded),
  )!;
}

function startsWith(column: Parameters<typeof gte>[0], prefix: string): SQL {
  return and(gte(column, prefix), lt(column, prefix + MAX_CHAR))!;
}
