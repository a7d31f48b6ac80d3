import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/context';
import { ApiError } from '../http/errors';
import { escapeHtml } from '../mail/templates';

/**
 * The verification link in the mail is `GET /api/v1/auth/verify-email?token=`: a person
 * opens it in a browser, which asks for text/html. They get a small page saying what
 * happened (verified, already verified, or why not) instead of raw JSON; API clients keep
 * the JSON answer. Same status either way. No script at all; the one inline stylesheet is
 * allowed by its hash, so the CSP stays `default-src 'none'`.
 */
export const verifyEmailPageForBrowsers: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  c.header('Vary', 'Accept', { append: true });
  if (!prefersHtml(c.req.header('Accept'))) return;
  const appName = c.get('config')?.appName ?? 'Gatehouse';
  if (c.error instanceof ApiError) {
    c.res = await htmlPage(c, c.error.status, appName, 'This link did not work', `${c.error.message} Ask for a new verification mail and try its link.`);
    return;
  }
  if (c.res.status !== 200) return;
  const { message } = (await c.res.clone().json()) as { message: string };
  c.res = await htmlPage(c, 200, appName, message, 'You can close this page and sign in.');
};

/** text/html wins when it is listed with a weight at least that of application/json (browsers list only html). */
export function prefersHtml(accept: string | undefined): boolean {
  const weights = new Map<string, number>();
  for (const part of (accept ?? '').split(',')) {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
    weights.set(type!.trim(), q === undefined ? 1 : Number(q));
  }
  const html = weights.get('text/html') ?? 0;
  return html > 0 && html >= (weights.get('application/json') ?? 0);
}

const STYLE =
  'body{font:16px/1.5 system-ui,sans-serif;color:#18181b;background:#fafafa;margin:0}' +
  'main{max-width:28rem;margin:15vh auto;padding:2rem;background:#fff;border:1px solid #e4e4e7;border-radius:8px}' +
  'p.app{margin:0 0 1rem;color:#71717a;font-size:.875rem}h1{margin:0 0 .5rem;font-size:1.25rem}';

let styleHash: Promise<string> | undefined;
async function sha256Base64(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

/** The page's CSP: nothing but its own inline stylesheet, by hash. */
export async function verifyEmailPageCsp(): Promise<string> {
  styleHash ??= sha256Base64(STYLE);
  return `default-src 'none'; style-src 'sha256-${await styleHash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

async function htmlPage(c: Context<AppEnv>, status: number, appName: string, title: string, detail: string): Promise<Response> {
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} · ${escapeHtml(appName)}</title><style>${STYLE}</style></head>
<body><main><p class="app">${escapeHtml(appName)}</p><h1>${escapeHtml(title)}</h1><p>${escapeHtml(detail)}</p></main></body>
</html>
`;
  const res = new Response(html, { status, headers: c.res.headers });
  res.headers.set('Content-Type', 'text/html; charset=utf-8');
  res.headers.set('Content-Security-Policy', await verifyEmailPageCsp());
  res.headers.delete('Content-Length');
  return res;
}
