// Imports run one way: routes → services → state/db → platform. This fails when a module of
// the lower layers (LOWER) imports anything outside them: a route or a feature module.
// `npm run check:layers`; import cycles are checked by `npm run check:cycles` (dpdm).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

const SRC = 'src';
/** The state/db layer and the platform under it: each may import only from this list. */
const LOWER = ['accounts/state/', 'db/', 'config/', 'crypto/', 'isolate/', 'clock.ts', 'env.ts'];
/** env.ts names the Durable Object classes and the mail job type of its bindings (types only). */
const TYPE_ONLY_BINDINGS = ['ratelimit/rate-limiter.ts', 'mail/types.ts', 'badges/job-types.ts'];

const inLower = (path) => LOWER.some((prefix) => path === prefix || path.startsWith(prefix));
const walk = (dir) => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
const resolve = (from, spec) => {
  const base = normalize(join(dirname(from), spec));
  for (const ext of ['', '.ts', '.tsx', '/index.ts']) {
    try {
      if (statSync(base + ext).isFile()) return relative(SRC, base + ext);
    } catch {}
  }
  return relative(SRC, base);
};

const offences = [];
for (const file of walk(SRC).filter((f) => /\.tsx?$/.test(f))) {
  const path = relative(SRC, file);
  if (!inLower(path)) continue;
  for (const [, typeOnly, spec] of readFileSync(file, 'utf8').matchAll(/(?:import|export)\s+(type\s+)?[^'";]*?from\s+'(\.[^']+)'/g)) {
    const target = resolve(file, spec);
    if (inLower(target)) continue;
    if (path === 'env.ts' && typeOnly && TYPE_ONLY_BINDINGS.includes(target)) continue;
    offences.push(`${path} imports ${target}`);
  }
}
// `import { z } from 'zod'` binds zod's whole namespace object as a value, so the bundler
// keeps every part of zod, its 40 locales included (~360 KB raw, ~65 KB gzip of the Worker):
// the namespace import lets it drop what is unused.
// A route's queries go through the request's D1 session (http/db-session.ts dbOf): a handle
// on the binding would miss the session's replica reads and the bookmark it answers with.
const bindingHandles = walk(SRC)
  .filter((f) => /\.tsx?$/.test(f) && relative(SRC, f) !== 'http/db-session.ts' && /createDb\(c\.env\.DB\)/.test(readFileSync(f, 'utf8')))
  .map((f) => relative(SRC, f));
if (bindingHandles.length) {
  console.error(`Use dbOf(c) (the request's D1 session), not createDb(c.env.DB):\n  ${bindingHandles.join('\n  ')}`);
  process.exit(1);
}
const zodValueImports = walk(SRC)
  .filter((f) => /\.tsx?$/.test(f) && /import\s+\{\s*z\s*\}\s+from\s+'zod'/.test(readFileSync(f, 'utf8')))
  .map((f) => relative(SRC, f));
if (zodValueImports.length) {
  console.error(`Import zod as \`import * as z from 'zod'\` (keeps the bundle small):\n  ${zodValueImports.join('\n  ')}`);
  process.exit(1);
}

if (offences.length) {
  console.error(`Lower layers (${LOWER.join(', ')}) must not import routes or features:\n  ${offences.join('\n  ')}`);
  process.exit(1);
}
console.log('layers: ok (state/db and platform import nothing above them)');
