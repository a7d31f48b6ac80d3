import { hc, type ClientRequestOptions } from 'hono/client';
import type { AppType } from './app';

export type { AppType };

/**
 * A typed client of the Gatehouse API (docs/CLIENT.md): paths, methods, request bodies and
 * success bodies come from the routes' own types, e.g.
 * `await (await createClient(url).api.v1.auth.login.$post({ json })).json()`.
 * Errors answer the one error shape ({ error: { code, message, fields?, request_id } }).
 */
export function createClient(baseUrl: string, options?: ClientRequestOptions) {
  return hc<AppType>(baseUrl, options);
}

export type GatehouseClient = ReturnType<typeof createClient>;
