import { ApiError } from '../../http/errors';
import type { Logger } from '../../http/log';

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

/** Only what is read of the ASSETS binding: tests can hand in a binding that fails. */
export type AssetsBinding = Pick<Fetcher, 'fetch'>;

/** The list's text (one password a line) as a set. */
export function parseCommonPasswords(text: string): CommonPasswords {
  return new Set(text.split('\n').filter((line) => line !== ''));
}

/** Django's CommonPasswordValidator rule: the lower-cased, trimmed password is on the list. */
export function isCommonPassword(password: string, common: CommonPasswords): boolean {
  return common.has(password.toLowerCase().trim());
}

/**
 * Loaded sets by binding: one fetch and parse per isolate (workerd hands every request the
 * same binding object: test/register.test.ts's registrations load it once), and only on the
 * paths that set a password. The set is cached, not the
 * pending promise: a promise made in one request and awaited by another is tied to the
 * first request, which may end (or be cancelled) before it settles. Cold parallel loads
 * each fetch once; the result is the same.
 */
const loaded = new WeakMap<AssetsBinding, CommonPasswords>();

/**
 * The list, or a 503 when it cannot be read. Fail closed: an account that got a common
 * password through while the list was missing would keep it after the outage, unnoticed,
 * while a 503 only delays a rare action (registration, password change or reset) that the
 * client can retry, and shows in the logs (app.onError logs every 5xx). Nothing is cached
 * on failure, so the next request tries again.
 */
export async function commonPasswords(assets: AssetsBinding, log: Logger): Promise<CommonPasswords> {
  const cached = loaded.get(assets);
  if (cached) return cached;
  const list = await fetchCommonPasswords(assets);
  if (typeof list === 'string') {
    log.error('common-password list unavailable', { asset: COMMON_PASSWORDS_ASSET, reason: list });
    throw new ApiError('service_unavailable', 'The password check is unavailable right now; try again later.');
  }
  loaded.set(assets, list);
  return list;
}

/** The list, or why it could not be read. */
async function fetchCommonPasswords(assets: AssetsBinding): Promise<CommonPasswords | string> {
  try {
    // The binding ignores the host: only the path names the asset.
    const res = await assets.fetch(`https://assets.invalid${COMMON_PASSWORDS_ASSET}`);
    if (!res.ok) {
      await res.body?.cancel();
      return `status ${res.status}`;
    }
    const list = parseCommonPasswords(await res.text());
    return list.size >= COMMON_PASSWORDS_MIN_ENTRIES ? list : `${list.size} entries`;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
