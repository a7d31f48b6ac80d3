import { isCommonPassword, type CommonPasswords } from './common-passwords';
import { normalizePassword } from './normalize';
import { quickRatio } from './similarity';

/** What the policy compares a password with; any field may be missing. */
export interface PasswordContext {
  email?: string | null;
  username?: string | null;
  first_name?: string | null;
  last_name?: string | null;
}

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
/** Django's default max_similarity. */
export const MAX_SIMILARITY = 0.7;

/** Django's wording, so clients written for the replaced systems show the same text. */
export const PASSWORD_MESSAGES = {
  tooShort: `This password is too short. It must contain at least ${PASSWORD_MIN_LENGTH} characters.`,
  tooLong: `This password is too long. It must contain at most ${PASSWORD_MAX_LENGTH} characters.`,
  tooCommon: 'This password is too common.',
  entirelyNumeric: 'This password is entirely numeric.',
  tooSimilar: (attribute: string) => `The password is too similar to the ${attribute}.`,
} as const;

/** Checked in Django's default validator order; the label is what the message names. */
const ATTRIBUTES = [
  ['username', 'username'],
  ['first_name', 'first name'],
  ['last_name', 'last name'],
  ['email', 'email'],
] as const satisfies readonly (readonly [keyof PasswordContext, string])[];

/**
 * Reasons the password is refused, empty when acceptable (API.md "Limits"). Lengths
 * count code points of the NFKC form. Like Django, every failing rule gives one reason.
 * `common` is the loaded list (commonPasswords(), or parseCommonPasswords() outside the Worker).
 */
export function passwordProblems(password: string, context: PasswordContext, common: CommonPasswords): string[] {
  const normalized = normalizePassword(password);
  const length = [...normalized].length;
  // Nothing else is worth computing (or reporting) for a password that cannot be stored.
  if (length > PASSWORD_MAX_LENGTH) return [PASSWORD_MESSAGES.tooLong];

  const problems: string[] = [];
  const similar = similarAttribute(normalized, context);
  if (similar) problems.push(PASSWORD_MESSAGES.tooSimilar(similar));
  if (length < PASSWORD_MIN_LENGTH) problems.push(PASSWORD_MESSAGES.tooShort);
  if (isCommonPassword(normalized, common)) problems.push(PASSWORD_MESSAGES.tooCommon);
  if (/^\p{Nd}+$/u.test(normalized)) problems.push(PASSWORD_MESSAGES.entirelyNumeric);
  return problems;
}

/**
 * Django's UserAttributeSimilarityValidator: the lower-cased password against each
 * attribute and each of its parts (comparedParts). Django decides with SequenceMatcher's
 * quick_ratio(), which also catches reorderings ("smithjohn" for "john.smith").
 */
function similarAttribute(password: string, context: PasswordContext): string | null {
  const lowered = password.toLowerCase();
  for (const [field, label] of ATTRIBUTES) {
    const value = normalizePassword(context[field] ?? '').toLowerCase();
    if (value === '') continue;
    for (const part of comparedParts(field, value)) {
      if (tooShortToCompare(lowered, part)) continue;
      if (quickRatio(lowered, part) >= MAX_SIMILARITY) return label;
    }
  }
  return null;
}

/**
 * Django's parts: the value split on non-word characters, and the whole value. For the
 * email we also compare the local part as a whole ("john.smith"), which Django does not.
 */
function comparedParts(field: keyof PasswordContext, value: string): string[] {
  const parts = [...value.split(/[^\p{L}\p{N}_]+/u), value];
  const at = value.lastIndexOf('@');
  if (field === 'email' && at > 0) parts.push(value.slice(0, at));
  return parts.filter((part) => part !== '');
}

/** Django's exceeds_maximum_length_ratio: a tiny part cannot make a long password similar. */
function tooShortToCompare(password: string, part: string): boolean {
  const passwordLength = [...password].length;
  const partLength = [...part].length;
  return passwordLength >= 10 * partLength && partLength < (MAX_SIMILARITY / 2) * passwordLength;
}
