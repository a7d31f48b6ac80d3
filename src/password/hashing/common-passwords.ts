import { staticAsset } from '../../http/static-asset';

export type { AssetsBinding } from '../../http/static-asset';

/**
 * The list, among the static assets (public/data/, written by common-passwords.generate.mjs):
 * 141 KB that took 56 of the Worker bundle's 325 KiB gzip. It is public data (zxcvbn's
 * list), so that anyone can also fetch it from this path is harmless.
 */
export const COMMON_PASSWORDS_ASSET = '/data/common-passwords.txt';

/** Fewer entries than this is not the list: a truncated file, or another asset's answer. */
export const COMMON_PASSWORDS_MIN_ENTRIES = 10_000;

/** Lower-cased, trimmed passwords that Django's CommonPasswordValidator refuses. */
export type CommonPasswords = ReadonlySet<string>;

/** The list's text (one password a line) as a set. */
export function parseCommonPasswords(text: string): CommonPasswords {
  return new Set(text.split('\n').filter((line) => line !== ''));
}

/** Django's CommonPasswordValidator rule: the lower-cased, trimmed password is on the list. */
export function isCommonPassword(password: string, common: CommonPasswords): boolean {
  return common.has(password.toLowerCase().trim());
}

/**
 * The list, read once per isolate and only on the paths that set a password (test/register.test.ts's
 * registrations load it once), or a 503 when it cannot be read. Fail closed: an account that
 * got a common password through while the list was missing would keep it after the outage,
 * unnoticed, while a 503 only delays a rare action (registration, password change or reset)
 * that the client can retry, and shows in the logs. Nothing is cached on failure.
 */
export const commonPasswords = staticAsset<CommonPasswords>(
  COMMON_PASSWORDS_ASSET,
  (text) => {
    const list = parseCommonPasswords(text);
    return list.size >= COMMON_PASSWORDS_MIN_ENTRIES ? list : `${list.size} entries`;
  },
  'The password check is unavailable right now; try again later.',
);
