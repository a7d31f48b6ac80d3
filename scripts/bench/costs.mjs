// Single-operation costs (token sign/verify, pure-JS PBKDF2) from the costs Worker
// (costs/index.js), bundled like the app and run under its compatibility settings and vars.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { bundleWorker } from './bundle.mjs';

const costsMain = fileURLToPath(new URL('./costs/index.js', import.meta.url));

export function bundleCosts(workdir, { compatibilityDate, compatibilityFlags }) {
  mkdirSync(workdir, { recursive: true });
  const config = join(workdir, 'costs.wrangler.json');
  writeFileSync(
    config,
    JSON.stringify({ name: 'gatehouse-costs', main: costsMain, compatibility_date: compatibilityDate, compatibility_flags: compatibilityFlags, minify: true }),
  );
  return bundleWorker(join(workdir, 'dist'), ['--config', config]);
}

/** Worker options for the costs Worker: the app's vars, and a KV namespace to fence timings with. */
export function costsWorkerOptions(appOptions) {
  return {
    compatibilityDate: appOptions.compatibilityDate,
    compatibilityFlags: appOptions.compatibilityFlags,
    bindings: appOptions.bindings ?? {},
    kvNamespaces: ['FENCE'],
  };
}

export async function measureCosts(url) {
  const get = async (path) => {
    const res = await fetch(`${url}${path}`);
    if (!res.ok) throw new Error(`costs ${path} answered ${res.status}: ${await res.text()}`);
    return res.json();
  };
  return { tokens: [await get('/tokens?alg=EdDSA'), await get('/tokens?alg=ES256')], pbkdf2: await get('/pbkdf2'), djangoHashes: await get('/django-hashes'), hashSchemes: await get('/hash-schemes') };
}

export function costLines(costs) {
  const f = (x) => x.toFixed(3);
  return [
    ...costs.tokens.map((t) => `access token ${t.alg}: sign ${f(t.signMs)} ms, verify ${f(t.verifyMs)} ms, first sign after a secret change ${f(t.coldSignMs)} ms (means of ${t.rounds})`),
    ...costs.pbkdf2.map((p) => `pure-JS PBKDF2-SHA256 at ${p.iterations.toLocaleString('en')} iterations: ${Math.round(p.ms)} ms`),
    ...(costs.djangoHashes ?? []).map((d) => `login password check, ${d.kind}: ${Math.round(d.ms)} ms`),
    ...(costs.hashSchemes ?? []).map((h) => `one hash, ${h.scheme}: ${Math.round(h.ms)} ms`),
  ];
}
