import { COMMON_PASSWORDS } from './common-passwords.data';

let common: Set<string> | undefined;

/** Django's CommonPasswordValidator rule: the lower-cased, trimmed password is on the list. */
export function isCommonPassword(password: string): boolean {
  // Built on first use, not at start-up: most requests never check a new password.
  common ??= new Set(COMMON_PASSWORDS.split(' '));
  return common.has(password.toLowerCase().trim());
}
