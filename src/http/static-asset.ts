import { ApiError } from './errors';
import type { Logger } from './log';

/** Only what is read of the ASSETS binding: tests can hand in a binding that fails. */
export type AssetsBinding = Pick<Fetcher, 'fetch'>;

/** What a loader makes of an asset's text: the value, or why the text is not the asset. */
export type AssetParser<T> = (text: string) => T | string;

/**
 * A loader of one data file among the static assets (public/data/), kept out of the Worker
 * bundle: read and parsed once per isolate, on the paths that need it.
 *
 * Loaded values are kept by binding (workerd hands every request the same binding object).
 * The value is cached, not the pending promise: a promise made in one request and awaited
 * by another is tied to the first request, which may end (or be cancelled) before it
 * settles. Cold parallel loads each fetch once; the result is the same.
 *
 * Fail closed: when the asset cannot be read, or is not what `parse` expects, the loader
 * throws 503 service_unavailable with `unavailable` as its message, logged (app.onError logs
 * every 5xx too). Nothing is cached on failure, so the next request tries again.
 */
export function staticAsset<T extends object>(path: string, parse: AssetParser<T>, unavailable: string) {
  const loaded = new WeakMap<AssetsBinding, T>();
  return async (assets: AssetsBinding, log: Logger): Promise<T> => {
    const cached = loaded.get(assets);
    if (cached) return cached;
    const value = await fetchAsset(assets, path, parse);
    if (typeof value === 'string') {
      log.error('static asset unavailable', { asset: path, reason: value });
      throw new ApiError('service_unavailable', unavailable);
    }
    loaded.set(assets, value);
    return value;
  };
}

/** The parsed asset, or why it could not be read. */
async function fetchAsset<T>(assets: AssetsBinding, path: string, parse: AssetParser<T>): Promise<T | string> {
  try {
    // The binding ignores the host: only the path names the asset.
    const res = await assets.fetch(`https://assets.invalid${path}`);
    if (!res.ok) {
      await res.body?.cancel();
      return `status ${res.status}`;
    }
    return parse(await res.text());
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
