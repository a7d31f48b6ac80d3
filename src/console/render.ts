import type { Context } from 'hono';
import { html } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** A whole HTML document from a JSX page. */
export function render(c: Context, page: unknown, status: ContentfulStatusCode = 200) {
  return c.html(html`<!DOCTYPE html>${page}`, status);
}

/** The current query string with some parameters replaced (undefined removes one). */
export function withQuery(url: string, changes: Record<string, string | number | undefined>): string {
  const next = new URL(url);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === '') next.searchParams.delete(key);
    else next.searchParams.set(key, String(value));
  }
  return `${next.pathname}${next.search}`;
}

/** "2026-12-02T05:41:09.123Z" -> "2026-12-02 05:41 UTC": every time in the console says its zone. */
export const when = (at: string | null | undefined) => (at ? `${at.slice(0, 10)} ${at.slice(11, 16)} UTC` : '—');
