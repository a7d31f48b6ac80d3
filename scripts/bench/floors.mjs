// Bundles the floor Worker with the same wrangler (and so the same esbuild and minifier)
// as the app, under the app's compatibility date and flags.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { bundleWorker } from './bundle.mjs';

const floorMain = fileURLToPath(new URL('./floors/index.js', import.meta.url));

export function bundleFloor(workdir, { compatibilityDate, compatibilityFlags }) {
  mkdirSync(workdir, { recursive: true });
  const config = join(workdir, 'floor.wrangler.json');
  writeFileSync(
    config,
    JSON.stringify({ name: 'gatehouse-floor', main: floorMain, compatibility_date: compatibilityDate, compatibility_flags: compatibilityFlags, minify: true }),
  );
  return bundleWorker(join(workdir, 'dist'), ['--config', config]);
}
