import { hc, type ClientRequestOptions } from 'hono/client';
import type { AppType } from './app';

export type { AppType };

/** The response header that carries the D1 bookmark, and the request header that returns it (docs/read-replicas.md). */
export const BOOKMARK_HEADER = 'X-Gatehouse-Bookmark';

/**
 * A typed client of the Gatehouse API (docs/CLIENT.md): paths, methods, request bodies and
 * success bodies come from the routes' own types, e.g.
 * `await (await createClient(url).api.v1.auth.login.$post({ json })).json()`.
 * Errors answer the one error shape ({ error: { code, message, fields?, request_id } }).
 *
 * It keeps the newest bookmark the API answered with and sends it on every request, so
 * this client always reads what it wrote, even from a read replica.
 */
export function createClient(baseUrl: string, options?: ClientRequestOptions) {
  const send = options?.fetch ?? fetch;
  let bookmark: string | null = null;
  const fetchWithBookmark: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    if (bookmark && !headers.has(BOOKMARK_HEADER)) headers.set(BOOKMARK_HEADER, bookmark);
    const res = await send(input, { ...init, headers });
    const answered = res.headers.get(BOOKMARK_HEADER);
    // Bookmarks are ordered strings; keep the newest one seen (answers may arrive out of order).
    if (answered && (!bookmark || answered > bookmark)) bookmark = answered;
    return res;
  };
  return hc<AppType>(baseUrl, { ...options, fetch: fetchWithBookmark });
}

export type GatehouseClient = ReturnType<typeof createClient>;
