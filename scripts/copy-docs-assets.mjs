// Fills public/ with what the Worker's static assets serve for the API reference, so none of
// it enters the Worker bundle and no page loads anything from a CDN: /openapi.json (the
// committed document, docs/openapi.json, which `npm run docs:api` writes) and /docs/scalar.js
// (Scalar's standalone renderer, 3.5 MB, from node_modules). Runs after `npm install`, before
// `npm run dev` / `npm run deploy`, after `npm run docs:api` and before the tests
// (vitest.config.ts); both copies are git-ignored (docs/OPENAPI.md).
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
copyFileSync(join(root, 'docs', 'openapi.json'), join(root, 'public', 'openapi.json'));
console.log('copy-docs-assets: docs/openapi.json -> public/openapi.json');

const target = join(root, 'public', 'docs');
// The package's exports map hides its files from require.resolve: the path is fixed.
const scalar = join(root, 'node_modules', '@scalar', 'api-reference', 'dist', 'browser', 'standalone.js');
if (!existsSync(scalar)) {
  // A production-only install (npm ci --omit=dev) has no renderer: /docs then has none.
  console.warn('copy-docs-assets: @scalar/api-reference is not installed; /docs will have no renderer.');
  process.exit(0);
}
mkdirSync(target, { recursive: true });
copyFileSync(scalar, join(target, 'scalar.js'));
console.log('copy-docs-assets: @scalar/api-reference standalone.js -> public/docs/scalar.js');
