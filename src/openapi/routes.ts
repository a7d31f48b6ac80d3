import { Hono } from 'hono';
import type { AppEnv } from '../http/context';

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

/**
 * GET /docs. The document it renders, /openapi.json, is a static asset: docs/openapi.json,
 * copied into public/ by scripts/copy-docs-assets.mjs (docs/OPENAPI.md), so the Worker
 * carries no document generator.
 */
export const docsPageRoutes = new Hono<AppEnv>().get('/docs', (c) => {
  c.header('Content-Security-Policy', DOCS_CSP);
  c.header('Cache-Control', 'public, max-age=300');
  return c.html(DOCS_PAGE);
});
