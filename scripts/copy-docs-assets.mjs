// Fills public/docs/ with the API reference renderer (Scalar's standalone bundle) from
// node_modules, so the Worker's static assets serve it: the 3.5 MB script never enters the
// Worker bundle and no page loads anything from a CDN. Runs after `npm install` and before
// `npm run dev` / `npm run deploy`; the copy is git-ignored (docs/OPENAPI.md).
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
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
