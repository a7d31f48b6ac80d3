import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import { ApiError } from '../../src/http/errors';
import type { AssetsBinding } from '../../src/http/static-asset';

/** An ASSETS binding that counts the fetches of `path` (every fetch when none is named). */
export type CountedAssets = AssetsBinding & { calls: number };

const concerns = (input: RequestInfo | URL, path?: string) => path === undefined || new URL(String(input)).pathname === path;

/** The real ASSETS binding, counting the fetches of `path` that reach it. */
export function countingAssets(path?: string): CountedAssets {
  const binding = {
    calls: 0,
    fetch: ((input: RequestInfo | URL, init?: RequestInit) => {
      if (concerns(input, path)) binding.calls += 1;
      return env.ASSETS.fetch(input, init);
    }) as Fetcher['fetch'],
  };
  return binding;
}

/**
 * The real binding, except that `path` (every path when none is named) answers with `body`
 * and `status`, or throws when `body` is an Error.
 */
export function brokenAssets(body: string | Error, status = 200, path?: string): CountedAssets {
  const binding = {
    calls: 0,
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (!concerns(input, path)) return env.ASSETS.fetch(input, init);
      binding.calls += 1;
      if (body instanceof Error) throw body;
      return new Response(body, { status });
    }) as Fetcher['fetch'],
  };
  return binding;
}

/** What `load` throws with `assets`: it must be an ApiError. */
export async function refusalOf<T>(load: (assets: AssetsBinding) => Promise<T>, assets: AssetsBinding): Promise<ApiError> {
  const err = await load(assets).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiError);
  return err as ApiError;
}
