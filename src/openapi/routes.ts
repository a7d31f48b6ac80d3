import { Hono } from 'hono';
import type { AppEnv } from '../http/context';
import { openApiDocument } from './document';

/**
 * The page may run only our own scripts (the renderer and its start-up file, both static
 * assets under /docs/, no inline script) and fetch only from us (the document, and "try
 * it" requests to this API). Scalar sets styles from script, so inline styles are allowed;
 * images and fonts may be data: URLs it carries in its bundle.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gatehouse API reference</title>
</head>
<body>
<noscript>The API reference needs JavaScript. The same document as JSON: <a href="/openapi.json">/openapi.json</a>.</noscript>
<div id="reference"></div>
<script src="/docs/scalar.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

/** GET /openapi.json (public, built once per isolate from the routes of `app`) and the /docs page. */
export function openApiRoutes(app: Hono<AppEnv>) {
  let document: Promise<unknown> | undefined;
  return new Hono<AppEnv>()
    .get('/openapi.json', async (c) => {
      // A failed build is not kept: the next request tries again.
      document ??= openApiDocument(app).catch((err: unknown) => {
        document = undefined;
        throw err;
      });
      c.header('Cache-Control', 'public, max-age=300');
      return c.json(await document);
    })
    .get('/docs', (c) => {
      c.header('Content-Security-Policy', DOCS_CSP);
      c.header('Cache-Control', 'public, max-age=300');
      return c.html(DOCS_PAGE);
    });
}
